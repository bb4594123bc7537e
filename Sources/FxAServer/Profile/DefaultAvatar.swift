import Foundation

/// The avatar of everyone who has not uploaded one: a neutral silhouette,
/// drawn here so nothing is fetched from elsewhere and no image of Mozilla's
/// is shipped. SVG, so it is sharp at every size an RP shows it.
enum DefaultAvatar {
    static let mimeType = "image/svg+xml"

    static let svg = Data("""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">\
        <rect width="200" height="200" fill="#d7dce3"/>\
        <circle cx="100" cy="78" r="38" fill="#8a94a6"/>\
        <path d="M30 200c0-42 31-70 70-70s70 28 70 70z" fill="#8a94a6"/>\
        </svg>
        """.utf8)
}
