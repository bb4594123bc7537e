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

    /// One line typed with echo off; echo is restored whatever happens.
    private static func readHidden(prompt: String) -> String? {
        printToStandardError(prompt, newline: false)
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        defer {
            if canHide { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            // The Enter the user typed was not echoed.
            printToStandardError("")
        }
        return readLine(strippingNewline: true)
    }
}
