#pragma once

#include <QLabel>

/// A word-wrapped plain-text line under a form's fields, as wide as the fields: a message there
/// wraps at the form's width and its row is as tall as the wrapped text. It asks for the height
/// the text needs at the width it has, not through height-for-width: a QFormLayout (Qt 6.4)
/// keeps a height-for-width label's first guess once its text changes, and squeezes a row to
/// nothing when rows with such labels are shown again. Left at its preferred width a plain
/// QLabel wraps every few words.
class WrappedLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WrappedLabel)

public:
    explicit WrappedLabel(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QSize atCurrentWidth(QSize hint) const;
};
