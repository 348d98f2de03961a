#include "ServerPanel.h"

#include "WrappedLabel.h"

#include "ConfirmStatementDialog.h"
#include "ConnectionsPanel.h"
#include "ExtensionsPanel.h"
#include "PageScrollArea.h"
#include "Palette.h"
#include "connection/ExtensionRequirements.h"
#include "connection/ServerSession.h"
#include "secrets/PasswordResolver.h"
#include "secrets/SecretStore.h"
#include "tunnel/TunnelRegistry.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTime>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QString quoteIdentifier(const QString &name)
{
    return u'"' + QString(name).replace(u'"', u"\"\""_s) + u'"';
}

} // namespace

ServerPanel::ServerPanel(SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_resolver(new PasswordResolver(secrets, this))
    , m_session(new ServerSession(this))
{
    auto *outer = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    // Wraps: the server's version string and the refresh time would otherwise widen the window.
    m_statusLabel = new WrappedLabel(this);
    m_statusLabel->setObjectName(u"refreshStatusLabel"_s);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_refreshButton = new QPushButton(tr("Refresh"), this);
    m_refreshButton->setObjectName(u"refreshButton"_s);
    connect(m_refreshButton, &QPushButton::clicked, this, [this]() {
        if (m_session->lastSnapshot() || m_session->isBusy())
            m_session->refreshNow();
        else
            startSession();
    });
    top->addWidget(m_statusLabel, 1);
    top->addWidget(m_refreshButton);
    outer->addLayout(top);

    m_bannerLabel = new QLabel(this);
    m_bannerLabel->setObjectName(u"serverBannerLabel"_s);
    m_bannerLabel->setTextFormat(Qt::PlainText);
    m_bannerLabel->setWordWrap(true);
    m_bannerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    Palette::keepStyleSheet(m_bannerLabel, &Palette::warningBannerStyle);
    m_bannerLabel->hide();
    outer->addWidget(m_bannerLabel);
    m_passwordRow = new QWidget(this);
    auto *passwordLayout = new QHBoxLayout(m_passwordRow);
    passwordLayout->setContentsMargins(0, 0, 0, 0);
    m_passwordLineEdit = new QLineEdit(m_passwordRow);
    m_passwordLineEdit->setObjectName(u"serverPasswordLineEdit"_s);
    m_passwordLineEdit->setAccessibleName(tr("Password for this session"));
    m_passwordLineEdit->setEchoMode(QLineEdit::Password);
    m_passwordLineEdit->setPlaceholderText(tr("Password for this session only (not stored)"));
    auto *useButton = new QPushButton(tr("Use and connect"), m_passwordRow);
    useButton->setObjectName(u"serverUsePasswordButton"_s);
    auto usePassword = [this]() {
        if (m_passwordLineEdit->text().isEmpty())
            return;
        m_secrets->setSessionPassword(m_profile.id, m_passwordLineEdit->text());
        m_passwordLineEdit->clear();
        m_passwordRow->hide();
        startSession();
    };
    connect(useButton, &QPushButton::clicked, this, usePassword);
    connect(m_passwordLineEdit, &QLineEdit::returnPressed, this, usePassword);
    passwordLayout->addWidget(m_passwordLineEdit, 1);
    passwordLayout->addWidget(useButton);
    m_passwordRow->hide();
    outer->addWidget(m_passwordRow);
    m_createDatabaseButton = new QPushButton(this);
    m_createDatabaseButton->setObjectName(u"createDatabaseButton"_s);
    m_createDatabaseButton->hide();
    connect(m_createDatabaseButton, &QPushButton::clicked, this, &ServerPanel::createDatabase);
    outer->addWidget(m_createDatabaseButton, 0, Qt::AlignLeft);

    m_content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(m_content);
    m_connections = new ConnectionsPanel(m_content);
    m_connections->setObjectName(u"connectionsPanel"_s);
    m_extensions = new ExtensionsPanel(m_content);
    m_extensions->setObjectName(u"extensionsPanel"_s);
    contentLayout->addWidget(m_connections);
    contentLayout->addWidget(m_extensions);
    outer->addWidget(pageScrollArea(m_content, u"serverScrollArea"_s, tr("Server"),
                                    ScrollFocus::Controls, this),
                     1);
    m_content->setEnabled(false);

    connect(m_extensions, &ExtensionsPanel::createRequested, this, &ServerPanel::createExtension);
    connect(m_session, &ServerSession::refreshStarted, this,
            [this]() { m_statusLabel->setText(tr("Refreshing...")); });
    connect(m_session, &ServerSession::snapshotReceived, this,
            [this](const ServerSnapshot &snapshot) {
                m_bannerLabel->hide();
                m_createDatabaseButton->hide();
                m_content->setEnabled(true);
                m_connections->setData(m_profile, snapshot);
                m_extensions->setData(m_profile, snapshot);
                m_statusLabel->setText(
                        tr("PostgreSQL %1, database %2 as %3; updated %4, every %5 s")
                                .arg(snapshot.version, snapshot.database, snapshot.user,
                                     QTime::currentTime().toString(u"HH:mm:ss"_s))
                                .arg(m_session->interval() / 1000.0));
                Q_EMIT refreshed(snapshot);
            });
    connect(m_session, &ServerSession::refreshFailed, this, &ServerPanel::showFailure);
}

ServerPanel::~ServerPanel() = default;

void ServerPanel::setRefreshInterval(int milliseconds)
{
    m_session->setInterval(milliseconds);
}

void ServerPanel::setProfile(const Profile &profile)
{
    // Keep the open session and the panels when the change does not touch the connection.
    if (profile.connectsLike(m_profile)) {
        m_profile = profile;
        return;
    }
    m_profile = profile;
    m_content->setEnabled(false);
    m_bannerLabel->hide();
    m_createDatabaseButton->hide();
    m_statusLabel->setText(tr("Not connected yet."));
    m_session->setActive(false);
    m_session->setTarget(profile.connectionUrl(), std::nullopt, profile.sessionPolicy(),
                         TunnelRegistry::leaseFor(profile));
    m_resolving = false;
    if (isVisible())
        startSession();
}

void ServerPanel::startSession()
{
    if (m_profile.id.isEmpty() || m_resolving)
        return;
    if (m_profile.passwordSource == PasswordSource::SessionOnly
        && !m_secrets->hasSessionPassword(m_profile.id)) {
        m_statusLabel->setText(
                tr("Type the password for %1 (kept for this session only) to connect.")
                        .arg(m_profile.name));
        m_passwordRow->show();
        return;
    }
    m_resolving = true;
    m_statusLabel->setText(tr("Connecting..."));
    const Profile profile = m_profile;
    m_resolver->resolve(profile, this, [this, profile](const PasswordOutcome &outcome) {
        if (profile.id != m_profile.id)
            return;
        m_resolving = false;
        if (!outcome.ok) {
            AttemptResult failure;
            failure.diagnosis = outcome.failure;
            showFailure(failure);
            return;
        }
        m_session->setTarget(profile.connectionUrl(), outcome.password, profile.sessionPolicy(),
                             TunnelRegistry::leaseFor(profile));
        m_session->setPasswordSupplier(PasswordResolver::supplierFor(profile, m_secrets));
        updateActive();
    });
}

void ServerPanel::updateActive()
{
    const bool minimised = window() && window()->isMinimized();
    m_session->setActive(isVisible() && !minimised);
}

void ServerPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (window())
        window()->installEventFilter(this);
    if (!m_session->lastSnapshot() && !m_session->isBusy())
        startSession();
    else
        updateActive();
}

void ServerPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_session->setActive(false);
}

bool ServerPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == window() && event->type() == QEvent::WindowStateChange)
        updateActive();
    return QWidget::eventFilter(watched, event);
}

void ServerPanel::showFailure(const AttemptResult &failure)
{
    const Diagnosis &diagnosis = failure.diagnosis;
    QStringList lines{diagnosis.headline() + u" ["_s + diagnosis.categoryId() + u']'};
    if (!diagnosis.message.isEmpty())
        lines << diagnosis.message;
    const QStringList hints = diagnosis.hints();
    for (qsizetype i = 0; i < qMin<qsizetype>(3, hints.size()); ++i)
        lines << u"%1. %2"_s.arg(i + 1).arg(hints.at(i));
    lines << tr("Trying again every %1 s.").arg(m_session->interval() / 1000.0);
    m_bannerLabel->setText(lines.join(u'\n'));
    m_bannerLabel->show();
    m_statusLabel->setText(
            tr("Last refresh failed at %1.").arg(QTime::currentTime().toString(u"HH:mm:ss"_s)));
    m_passwordRow->setVisible(diagnosis.category == DiagnosisCategory::KeychainUnavailable
                              || diagnosis.category == DiagnosisCategory::AuthFailed);
    const bool offerDatabase = diagnosis.category == DiagnosisCategory::DatabaseNotFound
            && m_profile.environment == Environment::Test;
    if (offerDatabase) {
        m_createDatabaseButton->setText(
                tr("Create database %1...").arg(m_profile.params.value(u"dbname"_s)));
        m_createDatabaseButton->show();
    }
    Q_EMIT refreshFailed(failure);
}

void ServerPanel::confirm(const QString &title, const QString &sql, const QString &permission,
                          std::function<void(bool confirmed)> answered)
{
    const QString requiredName
            = m_profile.environment == Environment::Production ? m_profile.name : QString();
    // Also asked from a session's callback: open(), never a nested event loop.
    auto *dialog = new ConfirmStatementDialog(title, sql, permission, requiredName, this);
    dialog->setObjectName(u"confirmStatementDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [answered = std::move(answered)](int result) {
        answered(result == QDialog::Accepted);
    });
    dialog->open();
}

void ServerPanel::createExtension(const QString &name)
{
    const auto snapshot = m_session->lastSnapshot();
    if (!snapshot)
        return;
    const auto info = snapshot->extension(name);
    if (!info)
        return;
    const ExtensionRequirements::Permission permission
            = ExtensionRequirements::mayCreate(*snapshot, *info);
    const QString sql = ExtensionRequirements::createStatement(name);
    if (!permission.allowed) {
        m_bannerLabel->setText(tr("%1 cannot be created by %2: %3\nThe statement for an "
                                  "administrator: %4")
                                       .arg(name, snapshot->user, permission.reason, sql));
        m_bannerLabel->show();
        Q_EMIT statementFinished(false, permission.reason);
        return;
    }
    confirm(tr("Create extension %1").arg(name), sql, permission.reason,
            [this, name, sql](bool confirmed) {
                if (!confirmed)
                    return;
                m_session->executeConfirmed(sql, this, [this, name](bool ok, const QString &error) {
                    if (!ok) {
                        m_bannerLabel->setText(tr("Creating %1 failed: %2").arg(name, error));
                        m_bannerLabel->show();
                    }
                    Q_EMIT statementFinished(ok, error);
                });
            });
}

void ServerPanel::createDatabase()
{
    const QString database = m_profile.params.value(u"dbname"_s);
    bool ok = false;
    const QString owner = QInputDialog::getText(this, tr("Create database %1").arg(database),
                                                tr("Owner of the new database:"), QLineEdit::Normal,
                                                m_profile.params.value(u"user"_s), &ok);
    if (!ok || owner.isEmpty())
        return;
    const QString sql = u"CREATE DATABASE %1 OWNER %2;"_s.arg(quoteIdentifier(database),
                                                              quoteIdentifier(owner));
    // The database does not exist yet: run it from the maintenance database, with the same
    // credentials, after checking the role may create databases.
    auto *maintenance = new ServerSession(this);
    ConnectionUrl url = m_profile.connectionUrl();
    url.setValue(u"dbname"_s, u"postgres"_s);
    const Profile profile = m_profile;
    m_resolver->resolve(
            profile, this,
            [this, maintenance, url, sql, database, profile](const PasswordOutcome &outcome) {
                maintenance->setTarget(url, outcome.password, profile.sessionPolicy(),
                                       TunnelRegistry::leaseFor(profile));
                maintenance->setPasswordSupplier(PasswordResolver::supplierFor(profile, m_secrets));
                auto firstSnapshot = std::make_shared<QMetaObject::Connection>();
                *firstSnapshot = connect(
                        maintenance, &ServerSession::snapshotReceived, this,
                        [this, maintenance, sql, database,
                         firstSnapshot](const ServerSnapshot &snapshot) {
                            disconnect(*firstSnapshot);
                            maintenance->setActive(false);
                            if (!snapshot.canCreateDatabase) {
                                m_bannerLabel->setText(
                                        tr("%1 may not create databases (it has neither CREATEDB "
                                           "nor superuser). Ask an administrator to run:\n%2")
                                                .arg(snapshot.user, sql));
                                m_bannerLabel->show();
                                maintenance->deleteLater();
                                Q_EMIT statementFinished(false, m_bannerLabel->text());
                                return;
                            }
                            confirm(tr("Create database %1").arg(database), sql,
                                    tr("%1 may create databases.").arg(snapshot.user),
                                    [this, maintenance, sql](bool confirmed) {
                                        if (!confirmed) {
                                            maintenance->deleteLater();
                                            return;
                                        }
                                        executeCreateDatabase(maintenance, sql);
                                    });
                        });
                connect(maintenance, &ServerSession::refreshFailed, this,
                        [this, maintenance](const AttemptResult &failure) {
                            maintenance->deleteLater();
                            showFailure(failure);
                            Q_EMIT statementFinished(false, failure.diagnosis.message);
                        });
                maintenance->setActive(true);
            });
}

void ServerPanel::executeCreateDatabase(ServerSession *maintenance, const QString &sql)
{
    maintenance->executeConfirmed(
            sql, this, [this, maintenance](bool created, const QString &error) {
                maintenance->deleteLater();
                if (created)
                    m_session->refreshNow();
                else {
                    m_bannerLabel->setText(tr("Creating the database failed: %1").arg(error));
                    m_bannerLabel->show();
                }
                Q_EMIT statementFinished(created, error);
            });
}
