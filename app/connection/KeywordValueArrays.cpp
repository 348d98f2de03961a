#include "KeywordValueArrays.h"

KeywordValueArrays::KeywordValueArrays(const QMap<QString, QString> &params)
{
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        m_keywords << it.key().toUtf8();
        m_values << it.value().toUtf8();
    }
    // Pointers are taken only once the lists are complete: appending may move the elements.
    for (qsizetype i = 0; i < m_keywords.size(); ++i) {
        m_keywordPointers.push_back(m_keywords.at(i).constData());
        m_valuePointers.push_back(m_values.at(i).constData());
    }
    m_keywordPointers.push_back(nullptr);
    m_valuePointers.push_back(nullptr);
}
