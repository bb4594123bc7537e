import FxAStore
import Foundation

/// Renders a ``MailMessage`` as the RFC 5322 text an SMTP `DATA` command
/// carries: headers, a blank line, the body with CRLF line ends and leading
/// dots doubled (RFC 5321 §4.5.2), and the terminating `.` line.
enum SMTPMessageFormat {
    static func render(_ message: MailMessage, from: String, messageIDDomain: String) -> String {
        var headers: [(String, String)] = [
            ("From", from),
            ("To", message.to),
            ("Subject", message.subject),
            ("Date", rfc5322Date(message.sentAt)),
            ("Message-ID", "<\(message.id.uuidString.lowercased())@\(messageIDDomain)>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ]
        headers += message.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

        var lines = headers.map { "\(singleLine($0.0)): \(singleLine($0.1))" }
        lines.append("")
        let body = message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(line.hasPrefix(".") ? "." + line : String(line))
        }
        lines.append(".")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Header values never contain a line break: a value that did could
    /// inject headers or end the header block. (`isNewline`, because Swift
    /// reads "\r\n" as one character that equals neither "\r" nor "\n".)
    static func singleLine(_ value: String) -> String {
        String(value.map { $0.isNewline ? " " : $0 })
    }

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
