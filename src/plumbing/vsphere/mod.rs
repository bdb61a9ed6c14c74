//! The vSphere platform: a vim25 SOAP client, sessions, inventory, and the
//! mapping of domains, volumes and networks onto VMs, disks and port groups.
