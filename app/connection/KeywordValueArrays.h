#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <vector>

/// Connection parameters as the two null-terminated arrays of PQconnectStartParams and
/// PQconnectdbParams, so that no value is ever spliced into a conninfo string. The arrays
/// point into this object: keep it alive for the duration of the call.
class KeywordValueArrays final
{
public:
    explicit KeywordValueArrays(const QMap<QString, QString> &params);
    KeywordValueArrays(const KeywordValueArrays &) = delete;
    KeywordValueArrays &operator=(const KeywordValueArrays &) = delete;

    const char *const *keywords() const { return m_keywordPointers.data(); }
    const char *const *values() const { return m_valuePointers.data(); }

private:
    QList<QByteArray> m_keywords;
    QList<QByteArray> m_values;
    std::vector<const char *> m_keywordPointers;
    std::vector<const char *> m_valuePointers;
};
