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
    /// Ctrl-C and a kill included (see ``restoreTerminalAndDie``).
    private static func readHidden(prompt: String) -> String? {
        defer { printToStandardError("") }  // the Enter the user typed was not echoed
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            printToStandardError(prompt, newline: false)
            return readLine(strippingNewline: true)
        }
        var hidden = saved
        hidden.c_lflag &= ~tcflag_t(ECHO)
        terminalBeforePrompt = saved
        // Handlers first, then echo off, then the prompt: a signal at any
        // moment after the prompt appears finds the terminal restorable.
        let previous = endingSignals.map { ($0, signal($0, restoreTerminalAndDie)) }
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            for (number, handler) in previous { signal(number, handler) }
        }
        printToStandardError(prompt, newline: false)
        return readLine(strippingNewline: true)
    }

    /// The signals that end the process while it waits at the prompt.
    private static let endingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
}

/// The terminal's settings while a password is read with echo off, for
/// ``restoreTerminalAndDie``. Process-wide because a signal handler can
/// reach nothing else; set only on the main thread before the handlers are
/// installed.
nonisolated(unsafe) private var terminalBeforePrompt = termios()

/// A signal during a hidden prompt: its default action would end the
/// process with echo still off, leaving the user's shell typing blind.
/// Puts the terminal back, then dies of the same signal, so a calling
/// script sees a Ctrl-C as a Ctrl-C. Only async-signal-safe calls.
private func restoreTerminalAndDie(_ number: Int32) {
    _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &terminalBeforePrompt)
    _ = write(STDERR_FILENO, "\n", 1)
    signal(number, SIG_DFL)
    raise(number)
}
