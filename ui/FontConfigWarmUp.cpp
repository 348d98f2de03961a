#include "FontConfigWarmUp.h"

#ifdef ORDERFLOW_HAVE_FONTCONFIG
#include <fontconfig/fontconfig.h>

#include <thread>
#endif

void FontConfigWarmUp::start()
{
#ifdef ORDERFLOW_HAVE_FONTCONFIG
    // Detached: nothing waits for it, and what it loads stays loaded for the process's life
    // (Qt finds it at its first font). An exit before it ends (--help, a usage error) takes it
    // along: it holds nothing that needs closing, and fontconfig registers nothing to run at
    // exit.
    std::thread([] { FcInit(); }).detach();
#endif
}
