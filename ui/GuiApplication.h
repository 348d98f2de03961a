#pragma once

/// Starts the window (QApplication, --profile NAME) and runs its event loop.
/// Declared apart from any QtWidgets header so that app/main.cpp stays widget-free.
int runGui(int &argc, char **argv);
