//! vicport against a vSphere endpoint: the govmomi simulator (vcsim), built
//! from Debian's sources by tests/vcsim and started once per test.

use crate::support::vcsim::Vcsim;

/// The simulator every vSphere test talks to starts and speaks vim25.
#[test]
fn vcsim_starts_and_serves_the_sdk() {
    let v = Vcsim::start();
    let body = "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let text = rt.block_on(async {
        reqwest::Client::new()
            .post(&v.url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/6.5")
            .body(body)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert!(text.contains("<apiType>VirtualCenter</apiType>"), "{text}");
}
