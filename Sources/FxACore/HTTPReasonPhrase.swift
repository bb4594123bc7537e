/// The HTTP reason phrases FxA puts in the `error` field of its error bodies.
///
/// FxACore does no I/O and so does not depend on an HTTP library; this small
/// table covers every status the project emits.
public enum HTTPReasonPhrase {
    /// The phrase for `status`, or `"Error"` for one not in the table.
    public static func `for`(status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error"
        }
    }
}
