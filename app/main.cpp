#include "GuiApplication.h"
#include "QuitOnSignal.h"
#include "Translations.h"
#include "cli/CommandLine.h"
#include "tunnel/Askpass.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTimer>

int main(int argc, char *argv[])
{
    // ssh runs this program as its askpass helper while one of our tunnels opens.
    if (const auto status = Askpass::answerIfAsked(argc, argv))
        return *status;

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (!CommandLine::handles(arguments))
        return runGui(argc, argv);

    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("OrderFlow"));
    QCoreApplication::setApplicationName(QStringLiteral("orderflow-dbadmin"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ORDERFLOW_VERSION));
    // Before the command table is built: its help and every message are translated text.
    Translations::install();
    QuitOnSignal::install();
    CommandLine commandLine(QCoreApplication::arguments());
    QObject::connect(&commandLine, &CommandLine::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    QTimer::singleShot(0, &commandLine, &CommandLine::start);
    return QCoreApplication::exec();
}
