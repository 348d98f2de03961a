#include "SessionPolicy.h"

#include <libpq-fe.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

void SessionPolicy::applyTo(QMap<QString, QString> &params) const
{
    if (!readOnly)
        return;
    QString options = params.value(u"options"_s);
    if (!params.contains(u"options"_s)) {
        // Setting the keyword hides libpq's own default for it (PGOPTIONS, a PGSERVICE entry):
        // keep that default's value in front of ours.
        std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> defaults(PQconndefaults(),
                                                                              &PQconninfoFree);
        for (const PQconninfoOption *option = defaults.get(); option && option->keyword; ++option) {
            if (qstrcmp(option->keyword, "options") == 0 && option->val)
                options = QString::fromUtf8(option->val);
        }
    }
    // The server applies -c switches in order: the last one for a setting wins.
    options = options.trimmed();
    if (!options.isEmpty())
        options += u' ';
    params.insert(u"options"_s, options + u"-c default_transaction_read_only=on"_s);
}
