#ifndef FXA_RUNTIME_HOOK_H
#define FXA_RUNTIME_HOOK_H

#include <stdbool.h>

/// Sets the Swift runtime's `swift_task_enqueueGlobal_hook` to `hook` if
/// nothing has set it yet, atomically; says whether it did.
///
/// The variable is reached by the linker rather than by `dlsym`. NIO looks
/// the hook up with `dlsym`, which finds nothing in a
/// `--static-swift-stdlib` build: the static runtime is linked with
/// `--exclude-libs ALL`, so the symbol is not exported. A reference from
/// C is resolved at link time against the static archive all the same
/// (and against libswift_Concurrency.so in a shared-runtime build).
bool fxa_install_swift_task_enqueue_global_hook(void *_Nonnull hook);

#endif
