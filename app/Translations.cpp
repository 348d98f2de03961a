#include "Translations.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::Literals::StringLiterals;

namespace Translations {

QString install(const QLocale &locale)
{
    QCoreApplication *application = QCoreApplication::instance();
    // LANGUAGE would still list languages under LC_ALL=C; like gettext, C means English.
    if (!application || locale.language() == QLocale::C)
        return {};
    auto *product = new QTranslator(application);
    // qt_add_translations embeds the .qm files under :/i18n.
    if (!product->load(locale, u"orderflow-dbadmin"_s, u"_"_s, u":/i18n"_s)
        || !QCoreApplication::installTranslator(product)) {
        delete product;
        return {};
    }
    QString language = QLocale(product->language()).name().section(u'_', 0, 0);
    // Qt's own texts in the same language, never in a second one: on Linux its .qm files come
    // with the distribution's Qt translations package (qt6-translations-l10n on Debian).
    auto *qt = new QTranslator(application);
    const QString qtDirectory = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    const bool withQt = qt->load(u"qtbase_"_s + language, qtDirectory)
            && QCoreApplication::installTranslator(qt);
    if (!withQt)
        delete qt;
    qCDebug(lcTranslations) << "installed" << language << "with Qt's own:" << withQt << "from"
                            << qtDirectory;
    return language;
}

} // namespace Translations
