/// The site's stylesheet and script, written as `site/assets/`: the files
/// in Weave/Assets/, which SwiftPM embeds in the code (`.embedInCode` in
/// Package.swift) so that `book` reads no resource bundle at run time and
/// works wherever its binary is copied.
enum Assets {
    static let css = String(decoding: PackageResources.book_css, as: UTF8.self)
    static let js = String(decoding: PackageResources.book_js, as: UTF8.self)
}
