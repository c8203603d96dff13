import RosterLDAP
import Testing

struct AttributeValueTests {
    @Test func guidHasTheMixedEndianForm() {
        let bytes: [UInt8] = Array(0...15)
        #expect(AttributeValue.guid(bytes) == "03020100-0504-0706-0809-0a0b0c0d0e0f")
        #expect(AttributeValue.guid([1, 2, 3]) == nil)
    }

    @Test(arguments: [
        ([UInt8]("E1001".utf8), "employeeNumber", "E1001"),
        (Array(0...15), "objectGUID", "03020100-0504-0706-0809-0a0b0c0d0e0f"),
        // Sixteen printable bytes are still a GUID when the attribute is objectGUID.
        ([UInt8]("ABCDEFGHIJKLMNOP".utf8), "objectGUID;binary", "44434241-4645-4847-494a-4b4c4d4e4f50"),
        ([UInt8]("ABCDEFGHIJKLMNOP".utf8), "entryUUID", "ABCDEFGHIJKLMNOP"),
        ([0xFF, 0x00, 0x01], "someBinaryId", "ff0001"),
    ])
    func identifiers(_ bytes: [UInt8], _ attribute: String, _ expected: String) {
        #expect(AttributeValue.identifier(bytes, attribute: attribute) == expected)
    }

    @Test func displayKeepsTextAndEncodesBinary() {
        #expect(AttributeValue.display(Array("Zoë".utf8), attribute: "cn") == "Zoë")
        #expect(AttributeValue.display([0xFF, 0xD8, 0xFF], attribute: "jpegPhoto") == "/9j/")
        #expect(AttributeValue.text([0x61, 0x00, 0x62]) == nil)
    }
}
