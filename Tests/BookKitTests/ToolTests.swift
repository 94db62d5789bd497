import BookKit
import Testing

@Suite struct ToolTests {
    @Test func aMissingToolSaysHowToInstallIt() {
        let tool = Tool(name: "qemu-system-none", installHint: "apt-get install qemu-system-x86")
        do {
            _ = try tool.locate()
            Issue.record("a tool that does not exist was found")
        } catch {
            #expect("\(error)" == "error: qemu-system-none not found on PATH; apt-get install qemu-system-x86")
        }
    }

    @Test func qemuStatusIsDecodedIntoTheGuestsExitValue() {
        #expect(GuestExit.guestValue(fromQemuStatus: 33) == GuestExit.success)
        #expect(GuestExit.guestValue(fromQemuStatus: 35) == GuestExit.failure)
        #expect(GuestExit.guestValue(fromQemuStatus: 0) == nil)
        #expect(GuestExit.guestValue(fromQemuStatus: 1) == nil)
    }
}
