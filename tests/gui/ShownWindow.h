#pragma once

#include "MainWindow.h"
#include "profiles/ProfileRepository.h"

#include <QTabWidget>
#include <QTest>
#include <QWidget>

/// Shows the window and waits for what a person sees: the profiles read, and the page in front,
/// which is made after the first frame, once a worker has opened libpq (ProfilePages). False
/// when the window never appeared or the page never came.
inline bool showAndSettle(MainWindow &window)
{
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)
        || !QTest::qWaitFor([&window]() { return window.repository()->isLoaded(); }))
        return false;
    const auto *pages = window.findChild<QTabWidget *>(QStringLiteral("profileTabWidget"));
    return pages && QTest::qWaitFor([pages]() {
               return !pages->isVisible()
                       || !pages->currentWidget()
                                   ->findChildren<QWidget *>(Qt::FindDirectChildrenOnly)
                                   .isEmpty();
           });
}
