#include "Logging.h"

Q_LOGGING_CATEGORY(lcProfiles, "orderflow.profiles", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHistory, "orderflow.history", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "orderflow.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConnection, "orderflow.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "orderflow.cli", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTranslations, "orderflow.translations", QtInfoMsg)
