#pragma once

#include <QObject>

#include <functional>

class QWidget;

/// Runs work once a widget has painted for the first time, after that frame has reached the
/// screen: for what the first frame does not need to wait for.
class FirstFrame final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstFrame)

public:
    /// work runs once, on widget's thread; not at all when widget goes before it paints.
    static void then(QWidget *widget, std::function<void()> work);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    FirstFrame(QWidget *widget, std::function<void()> work);

    std::function<void()> m_work;
};
