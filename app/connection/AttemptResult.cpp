#include "AttemptResult.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

QString ParameterSource::originId() const
{
    switch (origin) {
    case Origin::Profile:
        return u"profile"_s;
    case Origin::Environment:
        return u"environment"_s;
    case Origin::Service:
        return u"service"_s;
    case Origin::PasswordFile:
        return u"pgpass"_s;
    case Origin::Default:
        break;
    }
    return u"default"_s;
}

QString StageTiming::stateId() const
{
    switch (state) {
    case StageState::Ok:
        return u"ok"_s;
    case StageState::Failed:
        return u"failed"_s;
    case StageState::Skipped:
        break;
    }
    return u"skipped"_s;
}

QString StageTiming::note() const
{
    switch (skip) {
    case Skip::None:
        break;
    case Skip::NotNeeded:
        return QCoreApplication::translate("StageTiming", "not needed");
    case Skip::NotReached:
        return QCoreApplication::translate("StageTiming", "not reached");
    case Skip::TlsNotInUse:
        return QCoreApplication::translate("StageTiming", "TLS not in use");
    case Skip::Cancelled:
        return QCoreApplication::translate("StageTiming", "cancelled");
    }
    return {};
}
