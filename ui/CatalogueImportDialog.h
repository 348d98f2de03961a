#pragma once

#include "interop/Catalogue.h"

#include <QDialog>

/// Shows what importing a team catalogue would do (each profile added, changed, with the
/// members that change, or unchanged) before anything is written; accepted() means the user
/// chose Import. It writes nothing itself.
class CatalogueImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogueImportDialog)

public:
    /// otherMembers: the file's members this version does not know (Catalogue::Result).
    CatalogueImportDialog(const Catalogue::Plan &plan, const QString &path,
                          const QStringList &otherMembers, QWidget *parent = nullptr);
};
