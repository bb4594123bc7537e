#include "FxARuntimeHook.h"

// The runtime declares it as a pointer to a Swift-convention function;
// only its address is used here, so its exact type does not matter.
extern void *swift_task_enqueueGlobal_hook;

bool fxa_install_swift_task_enqueue_global_hook(void *hook) {
    void *expected = 0;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
