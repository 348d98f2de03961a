#pragma once

#include <QLabel>

#include <optional>

/// A one-line plain-text label that never asks for more width than a few characters: a text
/// too long for the space it gets ends in "…", and the whole of it is in the tooltip. A long
/// URL or name then cannot widen the window past the screen.
class ElidedLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElidedLabel)

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    /// Replaces QLabel::setText, which would show the text whole. details: plain text that says
    /// more than the text (the text's whole is in it), the tooltip and the accessible
    /// description whatever the width.
    void setFullText(const QString &text, const QString &details = QString());
    QString fullText() const { return m_fullText; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void elide();

    QString m_fullText;
    QString m_details;
    // Layouts ask for the hints many times, and measuring the whole text shapes all of it each
    // time: kept until the text, the font or the style changes. (QLabel keeps the height.)
    mutable std::optional<int> m_textWidth;
};
