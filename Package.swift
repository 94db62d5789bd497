// swift-tools-version: 6.0
// The generator of "Booting x86-64 in Swift": the `book` command and the
// BookKit library behind it. The bootloader's own Swift sources in
// Sources/SwiftBoot are tangled from the chapters and built by `book build`
// for the bare-metal target, not by this manifest; Sources/SwiftBootCore is
// built both ways. It builds and is tested on Linux only (Debian 12 and its
// QEMU, GRUB, OVMF and Bochs packages; the code calls Glibc): no other
// platform is claimed.
import PackageDescription

let package = Package(
    name: "swiftboot-book",
    products: [
        .executable(name: "book", targets: ["book"]),
        .library(name: "BookKit", targets: ["BookKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(
            name: "BookKit",
            dependencies: ["CCmark"],
            // The woven site's stylesheet and script, compiled into the
            // code: a copied `book` binary needs no resource bundle.
            resources: [.embedInCode("Weave/Assets/book.css"), .embedInCode("Weave/Assets/book.js")]
        ),
        .executableTarget(
            name: "book",
            dependencies: [
                "BookKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The pure-Swift half of swiftboot (boot-information parsers, ELF,
        // page tables), tangled from the chapters, built for the host so
        // that its tests run on crafted bytes.
        .target(name: "SwiftBootCore"),
        .testTarget(name: "SwiftBootCoreTests", dependencies: ["SwiftBootCore", "BookKit"]),
        .testTarget(name: "BookKitTests", dependencies: ["BookKit"]),
        .testTarget(name: "BootTests", dependencies: ["BookKit"]),
    ]
)
