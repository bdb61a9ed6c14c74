//! End-to-end tests of the `vicport` binary against real peers.

mod support;

/// The simulator every vSphere test talks to starts and speaks vim25.
#[test]
fn vcsim_starts_and_serves_the_sdk() {
    let v = support::vcsim::Vcsim::start();
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
