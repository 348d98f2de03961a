#include "CertificateFields.h"

#include "AsyncTask.h"

#include "connection/ConnectionUrl.h"
#include "connection/SslModes.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace Qt::Literals::StringLiterals;

CertificateFields::CertificateFields(QFormLayout *form, QWidget *parent)
    : QObject(parent)
    , m_parent(parent)
{
    // A layout, not a widget, holds the row: a screen reader finds a combo box's label among
    // its siblings (Qt announces a combo box by its value otherwise).
    auto *sslLayout = new QHBoxLayout;
    m_sslModeComboBox = new QComboBox(parent);
    m_sslModeComboBox->setObjectName(u"sslModeComboBox"_s);
    m_sslModeComboBox->addItem(tr("(not set: prefer)"), QString());
    for (const QString &mode : SslModes::all())
        m_sslModeComboBox->addItem(mode, mode);
    m_sslModeMeaningLabel = new QLabel(parent);
    m_sslModeMeaningLabel->setObjectName(u"sslModeMeaningLabel"_s);
    sslLayout->addWidget(m_sslModeComboBox);
    sslLayout->addWidget(m_sslModeMeaningLabel, 1);
    form->addRow(tr("SSL &mode"), sslLayout);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(sslLayout)))
        label->setBuddy(m_sslModeComboBox);
    QWidget *row = nullptr;
    m_sslRootCertLineEdit
            = fileField(u"sslRootCertLineEdit"_s, tr("Root certificate file (sslrootcert)"), &row);
    form->addRow(u"sslrootcert"_s, row);
    m_systemRootCheckBox = new QCheckBox(
            tr("Use the system's trusted certificates (sslrootcert=system)"), parent);
    m_systemRootCheckBox->setObjectName(u"systemRootCheckBox"_s);
    // Whether libpq supports it is asked off the UI thread: the question loads libpq, which the
    // window does not need to open.
    m_systemRootCheckBox->setEnabled(false);
    AsyncTask::runThenCallback(
            QThreadPool::globalInstance(),
            []() {
                return std::pair{ConnectionUrl::supportsSystemRootCertificates(),
                                 ConnectionUrl::libpqVersion()};
            },
            this,
            [this](const std::pair<bool, QString> &libpq) {
                m_systemRootCheckBox->setEnabled(libpq.first);
                if (!libpq.first)
                    m_systemRootCheckBox->setToolTip(
                            tr("Needs libpq 16 or later; this is libpq %1.").arg(libpq.second));
            });
    form->addRow(QString(), m_systemRootCheckBox);
    m_sslCertLineEdit
            = fileField(u"sslCertLineEdit"_s, tr("Client certificate file (sslcert)"), &row);
    form->addRow(u"sslcert"_s, row);
    m_sslKeyLineEdit = fileField(u"sslKeyLineEdit"_s, tr("Client key file (sslkey)"), &row);
    form->addRow(u"sslkey"_s, row);

    connect(m_sslModeComboBox, &QComboBox::currentIndexChanged, this, [this]() {
        const QString mode = m_sslModeComboBox->currentData().toString();
        m_sslModeMeaningLabel->setText(
                SslModes::meaning(mode.isEmpty() ? SslModes::defaultMode() : mode));
        Q_EMIT changed();
    });
    connect(m_systemRootCheckBox, &QCheckBox::toggled, this, [this](bool system) {
        m_sslRootCertLineEdit->setText(system ? u"system"_s : QString());
    });
}

QLineEdit *CertificateFields::fileField(const QString &objectName, const QString &accessibleName,
                                        QWidget **row)
{
    *row = new QWidget(m_parent);
    auto *layout = new QHBoxLayout(*row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(*row);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    auto *browse = new QPushButton(tr("Browse..."), *row);
    browse->setObjectName(objectName + u"BrowseButton"_s);
    browse->setAccessibleName(tr("Browse: %1").arg(accessibleName));
    connect(browse, &QPushButton::clicked, this, [this, edit]() {
        const QString path
                = QFileDialog::getOpenFileName(m_parent, tr("Choose a file"), edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    connect(edit, &QLineEdit::textChanged, this, &CertificateFields::changed);
    return edit;
}

void CertificateFields::fill(const QMap<QString, QString> &params)
{
    const int sslIndex = m_sslModeComboBox->findData(params.value(u"sslmode"_s));
    m_sslModeComboBox->setCurrentIndex(qMax(0, sslIndex));
    m_sslModeMeaningLabel->setText(
            SslModes::meaning(params.value(u"sslmode"_s, SslModes::defaultMode())));
    m_sslRootCertLineEdit->setText(params.value(u"sslrootcert"_s));
    m_systemRootCheckBox->setChecked(params.value(u"sslrootcert"_s) == u"system"_s);
    m_sslCertLineEdit->setText(params.value(u"sslcert"_s));
    m_sslKeyLineEdit->setText(params.value(u"sslkey"_s));
}

void CertificateFields::addTo(ConnectionUrl &url) const
{
    const QList<std::pair<QString, QString>> values{
            {u"sslmode"_s, m_sslModeComboBox->currentData().toString()},
            {u"sslrootcert"_s, m_sslRootCertLineEdit->text()},
            {u"sslcert"_s, m_sslCertLineEdit->text()},
            {u"sslkey"_s, m_sslKeyLineEdit->text()}};
    for (const auto &[keyword, value] : values) {
        if (!value.trimmed().isEmpty())
            url.setValue(keyword, value.trimmed());
    }
}
