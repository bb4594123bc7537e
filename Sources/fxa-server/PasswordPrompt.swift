#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password from standard input: on a terminal, after a prompt on
/// standard error, with echo off, twice; from a pipe, the first line, as
/// scripts send it (`echo 'the password' | fxa-server account create …`).
enum PasswordPrompt {
    /// The password, or `nil` when none was given (an empty line, end of
    /// input).
    ///
    /// - Throws: ``CommandFailure`` when the two entries on a terminal differ.
    static func read(for email: String) throws -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
        guard let first = readHidden(prompt: "Password for \(email): "), !first.isEmpty else { return nil }
        guard readHidden(prompt: "Repeat the password: ") == first else {
            throw CommandFailure("the two passwords differ: nothing was created")
        }
        return first
    }

    /// One line typed with echo off; echo is restored whatever happens,
    /// Ctrl-C included (see ``restoreTerminalAndExit``).
    private static func readHidden(prompt: String) -> String? {
        printToStandardError(prompt, newline: false)
        defer { printToStandardError("") }  // the Enter the user typed was not echoed
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return readLine(strippingNewline: true) }
        var hidden = saved
        hidden.c_lflag &= ~tcflag_t(ECHO)
        terminalBeforePrompt = saved
        let previousHandler = signal(SIGINT, restoreTerminalAndExit)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            signal(SIGINT, previousHandler)
        }
        return readLine(strippingNewline: true)
    }
}

/// The terminal's settings while a password is read with echo off, for
/// ``restoreTerminalAndExit``. Process-wide because a signal handler can
/// reach nothing else; set only on the main thread before the handler is
/// installed.
nonisolated(unsafe) private var terminalBeforePrompt = termios()

/// SIGINT during a hidden prompt: the default action would end the process
/// with echo still off, leaving the user's shell typing blind. Puts the
/// terminal back, then exits as SIGINT would (130); both calls are
/// async-signal-safe.
private func restoreTerminalAndExit(_ signal: Int32) {
    _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &terminalBeforePrompt)
    _ = write(STDERR_FILENO, "\n", 1)
    _exit(128 + signal)
}
