#pragma once

#include <QMap>
#include <QObject>

class ConnectionUrl;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QWidget;

/// The TLS rows of the profile form: sslmode with the mode's meaning, the certificate and key
/// files with pickers, and the system's trusted certificates. They go into the form's own
/// layout so their labels line up with the other fields.
class CertificateFields final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateFields)

public:
    /// Adds the rows to form; parent holds the widgets.
    CertificateFields(QFormLayout *form, QWidget *parent);

    void fill(const QMap<QString, QString> &params);
    /// Puts the fields' values into url (empty ones are left out).
    void addTo(ConnectionUrl &url) const;

Q_SIGNALS:
    /// The user changed one of the fields.
    void changed();

private:
    QLineEdit *fileField(const QString &objectName, const QString &accessibleName, QWidget **row);

    QWidget *m_parent;
    QComboBox *m_sslModeComboBox = nullptr;
    QLabel *m_sslModeMeaningLabel = nullptr;
    QLineEdit *m_sslRootCertLineEdit = nullptr;
    QLineEdit *m_sslCertLineEdit = nullptr;
    QLineEdit *m_sslKeyLineEdit = nullptr;
    QCheckBox *m_systemRootCheckBox = nullptr;
};
