#include "GuiApplication.h"

#include "FirstFrameExit.h"
#include "MainWindow.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace Qt::Literals::StringLiterals;

int runGui(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"OrderFlow"_s);
    QApplication::setApplicationName(u"orderflow-dbadmin"_s);
    QApplication::setApplicationDisplayName(u"OrderFlow DB Admin"_s);
    QApplication::setApplicationVersion(QStringLiteral(ORDERFLOW_VERSION));
    QApplication::setDesktopFileName(u"org.orderflow.DbAdmin"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/orderflow-dbadmin.svg"_s));
    // Before the command line parser and the window make any text.
    Translations::install();

    QCommandLineParser parser;
    const QCommandLineOption profileOption(
            u"profile"_s, QApplication::translate("GuiApplication", "Open this profile."),
            u"NAME"_s);
    parser.addOption(profileOption);
    parser.process(app);

    MainWindow window;
    if (parser.isSet(profileOption))
        window.selectProfileByName(parser.value(profileOption));
    if (FirstFrameExit::requested())
        new FirstFrameExit(&window);
    window.show();
    return QApplication::exec();
}
