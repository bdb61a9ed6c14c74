package main

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Distributed port groups' configVersion, as vCenter keeps it (see the
// package comment, -config-version).

// initPortgroupVersions gives every distributed port group without a
// configVersion its first one, "0".
func initPortgroupVersions() {
	for _, e := range simulator.Map.All("DistributedVirtualPortgroup") {
		pg, ok := e.(*simulator.DistributedVirtualPortgroup)
		if !ok {
			continue
		}
		simulator.Map.WithLock(pg, func() {
			if pg.Config.ConfigVersion == "" {
				simulator.Map.Update(pg, []types.PropertyChange{{Name: "config.configVersion", Val: "0"}})
			}
		})
	}
}

var reConfigVersion = regexp.MustCompile(`<configVersion>([^<]*)</configVersion>`)

// reconfigurePortgroup checks the spec's configVersion, lets the simulator
// apply the spec, puts back what the spec left unset, and moves the
// version on.
func (s *shim) reconfigurePortgroup(w http.ResponseWriter, r *http.Request, body []byte) {
	this := reThis.FindSubmatch(body)
	if this == nil {
		s.next.ServeHTTP(w, r)
		return
	}
	ref := types.ManagedObjectReference{Type: "DistributedVirtualPortgroup", Value: string(this[1])}
	pg, ok := simulator.Map.Get(ref).(*simulator.DistributedVirtualPortgroup)
	if !ok {
		s.next.ServeHTTP(w, r)
		return
	}
	lock, _ := s.pgLocks.LoadOrStore(ref.Value, &sync.Mutex{})
	lock.(*sync.Mutex).Lock()
	defer lock.(*sync.Mutex).Unlock()

	want := reConfigVersion.FindSubmatch(body)
	if want == nil {
		fault(w, "InvalidArgument", "spec.configVersion is required to reconfigure a port group")
		return
	}
	var before types.DVPortgroupConfigInfo
	simulator.Map.WithLock(pg, func() { before = pg.Config })
	if before.ConfigVersion != string(want[1]) {
		fault(w, "ConcurrentAccess",
			fmt.Sprintf("Cannot complete operation due to concurrent modification by another operation (configVersion %s, now %s).", want[1], before.ConfigVersion))
		return
	}
	rec := s.forward(r)
	task := reReturnval.FindSubmatch(rec.Body.Bytes())
	if rec.Code != http.StatusOK || task == nil || !taskSucceeded(string(task[1])) {
		copyResponse(w, rec)
		return
	}
	set := func(tag string) bool {
		return bytes.Contains(body, []byte("<"+tag+">")) || bytes.Contains(body, []byte("<"+tag+" "))
	}
	n, _ := strconv.Atoi(before.ConfigVersion)
	simulator.Map.WithLock(pg, func() {
		c := &pg.Config
		if !set("name") {
			c.Name = before.Name
		}
		if !set("numPorts") {
			c.NumPorts = before.NumPorts
		}
		if !set("autoExpand") {
			c.AutoExpand = before.AutoExpand
		}
		if !set("type") {
			c.Type = before.Type
		}
		if !set("description") {
			c.Description = before.Description
		}
		if !set("defaultPortConfig") {
			c.DefaultPortConfig = before.DefaultPortConfig
		}
		if !set("policy") {
			c.Policy = before.Policy
		}
		if !set("portNameFormat") {
			c.PortNameFormat = before.PortNameFormat
		}
		if !set("vmVnicNetworkResourcePoolKey") {
			c.VmVnicNetworkResourcePoolKey = before.VmVnicNetworkResourcePoolKey
		}
		if !set("logicalSwitchUuid") {
			c.LogicalSwitchUuid = before.LogicalSwitchUuid
		}
		if !set("backingType") {
			c.BackingType = before.BackingType
		}
		simulator.Map.Update(pg, []types.PropertyChange{{Name: "config.configVersion", Val: strconv.Itoa(n + 1)}})
	})
	copyResponse(w, rec)
}
