import FxARuntimeHook
import NIOCore
import NIOPosix

/// Puts Swift concurrency's global executor on NIO's event loops, so an
/// `await` in a route handler does not hop to another thread pool and
/// back (Vapor's recommended setup).
enum EventLoopConcurrency {
    /// The runtime's hook: a thin function taking the job and the
    /// runtime's own enqueue, which is not needed.
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Takes over the global executor; says whether it worked. NIO's own
    /// take-over comes first. It finds the runtime's hook with `dlsym`,
    /// which a `--static-swift-stdlib` build (the Debian package's) does
    /// not export; there the hook is set through a reference the linker
    /// resolved (FxARuntimeHook), to the same effect: each job runs on the
    /// event loop it was enqueued from, or the next one.
    static func takeOver() -> Bool {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
            return true
        }
        // Only where NIO itself would take over: it declines on compilers
        // whose runtime hook it has not been checked against.
        #if compiler(<6.6) && !os(Windows)
        let hook: EnqueueGlobalHook = { job, _ in
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
        }
        return fxa_install_swift_task_enqueue_global_hook(unsafeBitCast(hook, to: UnsafeMutableRawPointer.self))
        #else
        return false
        #endif
    }
}
