//! The checker against hand-written requests: what passes and what a
//! vCenter would refuse.

use super::*;

fn create_disk(spec: &str) -> String {
    format!(
        "<CreateDisk_Task xmlns=\"urn:vim25\"><_this type=\"VcenterVStorageObjectManager\">m</_this>\
         <spec>{spec}</spec></CreateDisk_Task>"
    )
}

const BACKING: &str = "<backingSpec xsi:type=\"VslmCreateSpecDiskFileBackingSpec\">\
    <datastore type=\"Datastore\">ds-1</datastore><provisioningType>thin</provisioningType></backingSpec>";

fn check(body: &str, api: &str) -> Vec<String> {
    Schema::get().check(body, api)
}

#[test]
fn a_request_in_schema_order_passes() {
    let body = create_disk(&format!(
        "<name>a</name>{BACKING}<capacityInMB>64</capacityInMB>"
    ));
    assert_eq!(check(&body, "6.5"), Vec::<String>::new());
    let body = create_disk(&format!(
        "<name>a</name><keepAfterDeleteVm>true</keepAfterDeleteVm>{BACKING}<capacityInMB>64</capacityInMB>"
    ));
    assert_eq!(check(&body, "6.7"), Vec::<String>::new());
    assert_eq!(check(&body, "8.0.3.0"), Vec::<String>::new());
}

#[test]
fn too_new_misordered_unknown_and_missing_elements_are_refused() {
    let one = |spec: &str, api: &str, want: &str| {
        let v = check(&create_disk(spec), api);
        assert!(v.iter().any(|m| m.contains(want)), "{want:?} not in {v:?}");
    };
    one(
        &format!(
            "<name>a</name><keepAfterDeleteVm>true</keepAfterDeleteVm>{BACKING}<capacityInMB>1</capacityInMB>"
        ),
        "6.5",
        "keepAfterDeleteVm was added in API 6.7, newer than the server's 6.5",
    );
    one(
        &format!("{BACKING}<name>a</name><capacityInMB>1</capacityInMB>"),
        "6.7",
        "out of order",
    );
    one(
        &format!("<name>a</name><size>1</size>{BACKING}<capacityInMB>1</capacityInMB>"),
        "6.7",
        "VslmCreateSpec has no element size",
    );
    one(
        &format!("<name>a</name>{BACKING}"),
        "6.7",
        "requires capacityInMB",
    );
    one(
        &format!("<name>a</name>{BACKING}<capacityInMB>lots</capacityInMB>"),
        "6.7",
        "is not an xsd:long",
    );
    // The abstract backing, or another type's, without its subtype.
    one(
        "<name>a</name><backingSpec><datastore type=\"Datastore\">d</datastore></backingSpec><capacityInMB>1</capacityInMB>",
        "6.7",
        "VslmCreateSpecBackingSpec is abstract",
    );
    one(
        "<name>a</name><backingSpec xsi:type=\"OptionValue\"/><capacityInMB>1</capacityInMB>",
        "6.7",
        "xsi:type OptionValue is not a VslmCreateSpecBackingSpec",
    );
    one(
        &format!(
            "<name>a</name>{}<capacityInMB>1</capacityInMB>",
            BACKING.replace("type=\"Datastore\"", "type=\"Folder\"")
        ),
        "6.7",
        "a Folder where the schema wants a Datastore",
    );
}

#[test]
fn any_type_values_need_their_type_and_enums_their_values() {
    let reconfig = |inner: &str| {
        format!(
            "<ReconfigVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">vm-1</_this>\
             <spec>{inner}</spec></ReconfigVM_Task>"
        )
    };
    let ok = reconfig(
        "<deviceChange><operation>add</operation><device xsi:type=\"VirtualCdrom\"><key>-1</key></device></deviceChange>\
         <extraConfig xsi:type=\"OptionValue\"><key>k</key><value xsi:type=\"xsd:string\">v</value></extraConfig>",
    );
    assert_eq!(check(&ok, "6.5"), Vec::<String>::new());
    let untyped = reconfig("<extraConfig><key>k</key><value>v</value></extraConfig>");
    let v = check(&untyped, "6.5");
    assert!(v.iter().any(|m| m.contains("needs an xsi:type")), "{v:?}");
    let bad_enum = reconfig(
        "<deviceChange><operation>insert</operation><device xsi:type=\"VirtualCdrom\"><key>-1</key></device></deviceChange>",
    );
    let v = check(&bad_enum, "6.5");
    assert!(v.iter().any(|m| m.contains("\"insert\" is not a")), "{v:?}");
    let wrong_this = ok.replace("type=\"VirtualMachine\"", "type=\"Folder\"");
    assert!(!check(&wrong_this, "6.5").is_empty());
}

#[test]
fn logs_are_read_record_by_record() {
    let log = b"5 \"urn:vim25/6.5\"\n<a/>\n\n3 urn:vim25/6.7\n<b>\n";
    let r = read_log(log);
    assert_eq!(r.len(), 2);
    assert_eq!(
        (r[0].action.as_str(), r[0].body.as_str()),
        ("urn:vim25/6.5", "<a/>\n")
    );
    assert_eq!(r[1].body, "<b>");
    // A record cut short (the simulator killed as it wrote) is left out.
    assert_eq!(read_log(b"5 a\n<a/>\n\n9 b\n<b>").len(), 1);
    assert!(Version::parse("7.0") == Version::parse("7.0.0.0"));
    assert!(Version::parse("6.7.1") > Version::parse("6.7"));
    assert!(Version::parse("6.5") < Version::parse("6.7"));
}
