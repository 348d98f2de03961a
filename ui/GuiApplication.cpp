#include "GuiApplication.h"
#include "QuitOnSignal.h"

#include "DeferredIconStyle.h"
#include "FirstFrame.h"
#include "FirstFrameExit.h"
#include "MainWindow.h"
#include "Palette.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStyle>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int runGui(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"OrderFlow"_s);
    QApplication::setApplicationName(u"orderflow-dbadmin"_s);
    QApplication::setApplicationDisplayName(u"OrderFlow DB Admin"_s);
    QApplication::setApplicationVersion(QStringLiteral(ORDERFLOW_VERSION));
    QApplication::setDesktopFileName(u"org.orderflow.DbAdmin"_s);
    // Before the command line parser and the window make any text.
    Translations::install();

    QCommandLineParser parser;
    const QCommandLineOption profileOption(
            u"profile"_s, QApplication::translate("GuiApplication", "Open this profile."),
            u"NAME"_s);
    parser.addOption(profileOption);
    // Qt 6.4 follows no system dark mode on Linux; this shows the window (and the README's
    // screenshots) light or dark, with colours chosen for that palette.
    const QCommandLineOption schemeOption(
            u"color-scheme"_s,
            QApplication::translate("main", "The Fusion style with a light or a dark palette."),
            u"light|dark"_s);
    parser.addOption(schemeOption);
    parser.process(app);
    const QString scheme = parser.value(schemeOption);
    if (parser.isSet(schemeOption) && scheme != u"light"_s && scheme != u"dark"_s) {
        std::fprintf(
                stderr, "%s\n",
                qPrintable(QApplication::translate("main", "--color-scheme takes light or dark.")));
        return 2; // a usage error, as on the command line
    }
    DeferredIconStyle::install(parser.isSet(schemeOption) ? u"Fusion"_s : QString());
    if (parser.isSet(schemeOption))
        QApplication::setPalette(scheme == u"dark"_s ? Palette::darkPalette()
                                                     : QApplication::style()->standardPalette());

    QuitOnSignal::install();
    MainWindow window;
    if (parser.isSet(profileOption))
        window.selectProfileByName(parser.value(profileOption));
    // The icon is drawn from SVG by a plugin that the first frame does not need.
    FirstFrame::then(&window, [] {
        QApplication::setWindowIcon(QIcon(u":/icons/orderflow-dbadmin.svg"_s));
    });
    // After the icon's: the filter installed last sees the first paint first, so the moment
    // the frame was shown is taken before the work that waits for it (loading the icon's
    // image plugins takes several milliseconds).
    if (FirstFrameExit::requested())
        FirstFrameExit::install(&window);
    window.show();
    return QApplication::exec();
}
