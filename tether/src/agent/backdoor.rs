//! The VMware backdoor (I/O port 0x5658, magic 0x564D5868) and the RPCI
//! channel over it: `info-get` and `info-set` of guestinfo keys.
//!
//! The port I/O is behind [`Backdoor`]; the channel state machine is tested
//! against a fake hypervisor that emulates the port protocol, since no real
//! VMware peer exists on a build machine.

use std::fmt;

/// The backdoor magic, in EAX.
pub const MAGIC: u32 = 0x564D_5868;
/// The backdoor I/O port, in DX.
pub const PORT: u16 = 0x5658;
/// Backdoor command: guest messages.
pub const CMD_MESSAGE: u16 = 30;
/// The RPCI protocol number (`'RPCI'`).
pub const RPCI_PROTOCOL: u32 = 0x4943_5052;
/// Ask for a cookie-protected channel.
pub const FLAG_COOKIE: u32 = 0x8000_0000;

/// Message sub-commands (high half of ECX).
pub mod msg {
    #![allow(missing_docs)]
    pub const OPEN: u16 = 0;
    pub const SEND_SIZE: u16 = 1;
    pub const SEND_PAYLOAD: u16 = 2;
    pub const RECV_SIZE: u16 = 3;
    pub const RECV_PAYLOAD: u16 = 4;
    pub const RECV_STATUS: u16 = 5;
    pub const CLOSE: u16 = 6;
    /// Status bits (high half of ECX on return).
    pub const SUCCESS: u32 = 0x0001;
    pub const DORECV: u32 = 0x0002;
}

/// The registers of one backdoor call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Regs {
    #[allow(missing_docs)]
    pub eax: u32,
    #[allow(missing_docs)]
    pub ebx: u32,
    #[allow(missing_docs)]
    pub ecx: u32,
    #[allow(missing_docs)]
    pub edx: u32,
    #[allow(missing_docs)]
    pub esi: u32,
    #[allow(missing_docs)]
    pub edi: u32,
}

/// One `in eax, dx` on the backdoor port.
pub trait Backdoor: Send {
    /// Execute the call with `regs` and return the registers after it.
    fn call(&mut self, regs: Regs) -> Regs;
}

/// The real port, from ring 3 (VMware allows backdoor I/O from user mode).
/// Only construct it after CPUID said "VMwareVMware": on any other
/// hypervisor the `in` instruction faults.
#[derive(Debug)]
pub struct IoPortBackdoor(());

impl IoPortBackdoor {
    /// The port, on x86_64 only.
    pub fn new() -> Option<Self> {
        if cfg!(target_arch = "x86_64") {
            Some(IoPortBackdoor(()))
        } else {
            None
        }
    }
}

impl Backdoor for IoPortBackdoor {
    #[cfg(target_arch = "x86_64")]
    fn call(&mut self, r: Regs) -> Regs {
        let mut rbx = u64::from(r.ebx);
        let (mut eax, mut ecx, mut edx, mut esi, mut edi) = (r.eax, r.ecx, r.edx, r.esi, r.edi);
        // SAFETY: the caller checked the hypervisor vendor; rbx is
        // reserved by LLVM, so it is swapped in and out around the `in`.
        unsafe {
            std::arch::asm!(
                "xchg rbx, {b}",
                "in eax, dx",
                "xchg rbx, {b}",
                b = inout(reg) rbx,
                inout("eax") eax,
                inout("ecx") ecx,
                inout("edx") edx,
                inout("esi") esi,
                inout("edi") edi,
            );
        }
        Regs {
            eax,
            ebx: rbx as u32,
            ecx,
            edx,
            esi,
            edi,
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn call(&mut self, r: Regs) -> Regs {
        r
    }
}

/// An RPCI failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError(pub String);

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VMware RPCI: {}", self.0)
    }
}

impl std::error::Error for RpcError {}

/// An open RPCI channel.
#[derive(Debug)]
pub struct Channel<'a, B: Backdoor + ?Sized> {
    bd: &'a mut B,
    id: u16,
    cookie: (u32, u32),
}

fn status(r: &Regs) -> u32 {
    r.ecx >> 16
}

impl<'a, B: Backdoor + ?Sized> Channel<'a, B> {
    /// Open a channel.
    pub fn open(bd: &'a mut B) -> Result<Self, RpcError> {
        let r = bd.call(Regs {
            eax: MAGIC,
            ebx: RPCI_PROTOCOL | FLAG_COOKIE,
            ecx: (u32::from(msg::OPEN) << 16) | u32::from(CMD_MESSAGE),
            edx: u32::from(PORT),
            ..Regs::default()
        });
        if status(&r) & msg::SUCCESS == 0 {
            return Err(RpcError(
                "cannot open a channel (no VMware backdoor?)".into(),
            ));
        }
        Ok(Channel {
            bd,
            id: (r.edx >> 16) as u16,
            cookie: (r.esi, r.edi),
        })
    }

    fn call(&mut self, sub: u16, ebx: u32) -> Regs {
        self.bd.call(Regs {
            eax: MAGIC,
            ebx,
            ecx: (u32::from(sub) << 16) | u32::from(CMD_MESSAGE),
            edx: (u32::from(self.id) << 16) | u32::from(PORT),
            esi: self.cookie.0,
            edi: self.cookie.1,
        })
    }

    fn ok(&mut self, sub: u16, ebx: u32, what: &str) -> Result<Regs, RpcError> {
        let r = self.call(sub, ebx);
        if status(&r) & msg::SUCCESS == 0 {
            return Err(RpcError(format!(
                "{what} failed (status {:#x})",
                status(&r)
            )));
        }
        Ok(r)
    }

    /// Send a request and receive its reply.
    pub fn request(&mut self, data: &[u8]) -> Result<Vec<u8>, RpcError> {
        if data.len() > 1 << 20 {
            return Err(RpcError("request too large".into()));
        }
        self.ok(msg::SEND_SIZE, data.len() as u32, "sending the size")?;
        for chunk in data.chunks(4) {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            self.ok(
                msg::SEND_PAYLOAD,
                u32::from_le_bytes(w),
                "sending the payload",
            )?;
        }
        let r = self.ok(msg::RECV_SIZE, 0, "receiving the size")?;
        if status(&r) & msg::DORECV == 0 {
            return Ok(Vec::new());
        }
        let size = r.ebx as usize;
        if size > 1 << 20 {
            return Err(RpcError(format!("reply of {size} bytes is too large")));
        }
        let mut out = Vec::with_capacity(size);
        while out.len() < size {
            let r = self.ok(msg::RECV_PAYLOAD, msg::SUCCESS, "receiving the payload")?;
            let take = (size - out.len()).min(4);
            out.extend_from_slice(&r.ebx.to_le_bytes()[..take]);
        }
        self.ok(msg::RECV_STATUS, msg::SUCCESS, "acknowledging the reply")?;
        Ok(out)
    }

    /// Close the channel.
    pub fn close(mut self) -> Result<(), RpcError> {
        self.ok(msg::CLOSE, 0, "closing the channel").map(|_| ())
    }
}

/// One RPCI request on a fresh channel; returns the reply text after the
/// `1 ` success prefix, or the error after `0 `.
pub fn rpc<B: Backdoor + ?Sized>(bd: &mut B, request: &str) -> Result<String, RpcError> {
    let mut ch = Channel::open(bd)?;
    let reply = ch.request(request.as_bytes());
    let _ = ch.close();
    let reply = String::from_utf8_lossy(&reply?).into_owned();
    match reply.split_at_checked(1) {
        Some(("1", rest)) => Ok(rest.strip_prefix(' ').unwrap_or(rest).to_string()),
        _ => Err(RpcError(format!(
            "`{request}` failed: {}",
            reply.get(2..).unwrap_or(&reply)
        ))),
    }
}

/// `info-get KEY`: None when the key has no value.
pub fn info_get<B: Backdoor + ?Sized>(bd: &mut B, key: &str) -> Result<Option<String>, RpcError> {
    match rpc(bd, &format!("info-get {key}")) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.0.contains("No value found") => Ok(None),
        Err(e) => Err(e),
    }
}

/// `info-set KEY VALUE`.
pub fn info_set<B: Backdoor + ?Sized>(bd: &mut B, key: &str, value: &str) -> Result<(), RpcError> {
    rpc(bd, &format!("info-set {key} {value}")).map(|_| ())
}

/// A fake hypervisor that emulates the backdoor's RPCI port protocol and a
/// guestinfo store. No real VMware host exists here; this is what the
/// channel state machine is tested against.
#[derive(Debug, Default)]
pub struct FakeHypervisor {
    /// The guestinfo store (keys without the `guestinfo.` prefix removed).
    pub guestinfo: std::collections::HashMap<String, String>,
    channels: std::collections::HashMap<u16, FakeChannel>,
    next: u16,
    /// Every request text received, in order.
    pub requests: Vec<String>,
}

#[derive(Debug, Default)]
struct FakeChannel {
    cookie: (u32, u32),
    expect: usize,
    buf: Vec<u8>,
    reply: Option<Vec<u8>>,
    pos: usize,
}

impl FakeHypervisor {
    fn answer(&mut self, req: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(req).into_owned();
        self.requests.push(text.clone());
        if let Some(key) = text.strip_prefix("info-get ") {
            return match self.guestinfo.get(key) {
                Some(v) => format!("1 {v}"),
                None => "0 No value found".into(),
            }
            .into_bytes();
        }
        if let Some(rest) = text.strip_prefix("info-set ") {
            let (k, v) = rest.split_once(' ').unwrap_or((rest, ""));
            self.guestinfo.insert(k.into(), v.into());
            return b"1 ".to_vec();
        }
        b"0 Unknown command".to_vec()
    }
}

impl Backdoor for FakeHypervisor {
    fn call(&mut self, r: Regs) -> Regs {
        let fail = Regs { ecx: 0, ..r };
        if r.eax != MAGIC
            || r.edx & 0xffff != u32::from(PORT)
            || r.ecx & 0xffff != u32::from(CMD_MESSAGE)
        {
            return fail;
        }
        let ok = |extra: u32, ebx: u32| Regs {
            ecx: (msg::SUCCESS | extra) << 16,
            ebx,
            ..r
        };
        let sub = (r.ecx >> 16) as u16;
        if sub == msg::OPEN {
            if r.ebx != RPCI_PROTOCOL | FLAG_COOKIE {
                return fail;
            }
            self.next += 1;
            let id = self.next;
            let cookie = (0x1234_0000 + u32::from(id), 0xabcd_0000 ^ u32::from(id));
            self.channels.insert(
                id,
                FakeChannel {
                    cookie,
                    ..Default::default()
                },
            );
            return Regs {
                ecx: msg::SUCCESS << 16,
                edx: u32::from(id) << 16 | u32::from(PORT),
                esi: cookie.0,
                edi: cookie.1,
                ..r
            };
        }
        let id = (r.edx >> 16) as u16;
        let Some(ch) = self.channels.get_mut(&id) else {
            return fail;
        };
        if ch.cookie != (r.esi, r.edi) {
            return fail;
        }
        match sub {
            msg::SEND_SIZE => {
                ch.expect = r.ebx as usize;
                ch.buf.clear();
                ch.reply = None;
                if ch.expect == 0 {
                    let reply = self.answer(&[]);
                    if let Some(ch) = self.channels.get_mut(&id) {
                        ch.reply = Some(reply);
                    }
                }
                ok(0, 0)
            }
            msg::SEND_PAYLOAD => {
                if ch.buf.len() >= ch.expect {
                    return fail;
                }
                let take = (ch.expect - ch.buf.len()).min(4);
                ch.buf.extend_from_slice(&r.ebx.to_le_bytes()[..take]);
                if ch.buf.len() == ch.expect {
                    let req = std::mem::take(&mut ch.buf);
                    let reply = self.answer(&req);
                    if let Some(ch) = self.channels.get_mut(&id) {
                        ch.reply = Some(reply);
                        ch.pos = 0;
                    }
                }
                ok(0, 0)
            }
            msg::RECV_SIZE => match &ch.reply {
                Some(rep) => ok(msg::DORECV, rep.len() as u32),
                None => ok(0, 0),
            },
            msg::RECV_PAYLOAD => {
                let Some(rep) = &ch.reply else { return fail };
                if ch.pos >= rep.len() {
                    return fail;
                }
                let mut w = [0u8; 4];
                let n = (rep.len() - ch.pos).min(4);
                w[..n].copy_from_slice(&rep[ch.pos..ch.pos + n]);
                ch.pos += n;
                ok(0, u32::from_le_bytes(w))
            }
            msg::RECV_STATUS => {
                ch.reply = None;
                ok(0, 0)
            }
            msg::CLOSE => {
                self.channels.remove(&id);
                ok(0, 0)
            }
            _ => fail,
        }
    }
}

impl FakeHypervisor {
    /// Open channels (to check that every one was closed).
    pub fn open_channels(&self) -> usize {
        self.channels.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_get_and_set_over_the_fake_port_protocol() {
        let mut hv = FakeHypervisor::default();
        hv.guestinfo
            .insert("guestinfo.vicport.config".into(), "dmljcG9ydA==".into());
        assert_eq!(
            info_get(&mut hv, "guestinfo.vicport.config")
                .unwrap()
                .as_deref(),
            Some("dmljcG9ydA==")
        );
        assert_eq!(info_get(&mut hv, "guestinfo.missing").unwrap(), None);
        // Odd lengths exercise the 4-byte chunking both ways.
        info_set(&mut hv, "guestinfo.vicport.status.exit_code", "137").unwrap();
        assert_eq!(hv.guestinfo["guestinfo.vicport.status.exit_code"], "137");
        assert_eq!(
            info_get(&mut hv, "guestinfo.vicport.status.exit_code")
                .unwrap()
                .as_deref(),
            Some("137")
        );
        assert_eq!(hv.open_channels(), 0, "every channel is closed");
        assert_eq!(hv.requests.len(), 4);
    }

    #[test]
    fn failures_are_reported_not_hung() {
        // No backdoor: the port answers nothing useful.
        struct Dead;
        impl Backdoor for Dead {
            fn call(&mut self, r: Regs) -> Regs {
                Regs { ecx: 0, ..r }
            }
        }
        assert!(rpc(&mut Dead, "info-get x").is_err());
        // An unknown command gets the hypervisor's error text.
        let mut hv = FakeHypervisor::default();
        let e = rpc(&mut hv, "bogus").unwrap_err();
        assert!(e.0.contains("Unknown command"), "{e}");
    }

    #[test]
    fn a_wrong_cookie_is_rejected_by_the_fake() {
        let mut hv = FakeHypervisor::default();
        let ch = Channel::open(&mut hv).unwrap();
        let id = ch.id;
        let _ = ch;
        let r = hv.call(Regs {
            eax: MAGIC,
            ebx: 4,
            ecx: (u32::from(msg::SEND_SIZE) << 16) | u32::from(CMD_MESSAGE),
            edx: (u32::from(id) << 16) | u32::from(PORT),
            esi: 1,
            edi: 2,
        });
        assert_eq!(r.ecx >> 16, 0);
    }
}
