#pragma once

class QWidget;

/// The Help menu's windows. Both open without blocking (open(), deleted on close).
namespace HelpDialogs {

/// The product's name and what it is for, with the versions of the product, Qt, libpq and
/// OpenSSL this process loaded, selectable for a bug report.
void showAbout(QWidget *parent);
/// The README, built into the program, so it is there offline and matches this version.
void showReadme(QWidget *parent);

} // namespace HelpDialogs
