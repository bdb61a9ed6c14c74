package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Events vCenter records for distributed port groups, which vcsim 0.24
// does not: DVPortgroupCreatedEvent when AddDVPortgroup_Task makes one,
// DVPortgroupDestroyedEvent when Destroy_Task removes one. Each names the
// port group (net), its switch (dvs) and its datacenter, and is posted
// through the simulator's own EventManager.PostEvent in the caller's
// session, so it carries the caller's user name.

var (
	reName      = regexp.MustCompile(`<name>([^<]*)</name>`)
	reThisTyped = regexp.MustCompile(`<_this type="([^"]+)">([^<]+)</_this>`)
)

// portgroupsAdded posts a DVPortgroupCreatedEvent for each port group the
// AddDVPortgroup_Task in body made.
func (s *shim) portgroupsAdded(r *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	task := reReturnval.FindSubmatch(rec.Body.Bytes())
	this := reThisTyped.FindSubmatch(body)
	if rec.Code != http.StatusOK || task == nil || this == nil || !taskSucceeded(string(task[1])) {
		return
	}
	ref := types.ManagedObjectReference{Type: string(this[1]), Value: string(this[2])}
	dvs, ok := simulator.Map.Get(ref).(*simulator.DistributedVirtualSwitch)
	if !ok {
		return
	}
	for _, name := range reName.FindAllSubmatch(body, -1) {
		for _, pgRef := range dvs.Portgroup {
			if pg, ok := simulator.Map.Get(pgRef).(*simulator.DistributedVirtualPortgroup); ok && pg.Name == string(name[1]) {
				s.postPortgroupEvent(r, "DVPortgroupCreatedEvent", "created", pgRef, pg.Name, ref, dvs.Name)
			}
		}
	}
}

// destroyPortgroup forwards a Destroy_Task of a distributed port group and
// posts a DVPortgroupDestroyedEvent when it succeeded.
func (s *shim) destroyPortgroup(w http.ResponseWriter, r *http.Request, body []byte) {
	this := reThis.FindSubmatch(body)
	var pgRef, dvsRef types.ManagedObjectReference
	var pgName, dvsName string
	if this != nil {
		pgRef = types.ManagedObjectReference{Type: "DistributedVirtualPortgroup", Value: string(this[1])}
		if pg, ok := simulator.Map.Get(pgRef).(*simulator.DistributedVirtualPortgroup); ok {
			pgName = pg.Name
			if pg.Config.DistributedVirtualSwitch != nil {
				dvsRef = *pg.Config.DistributedVirtualSwitch
				if dvs, ok := simulator.Map.Get(dvsRef).(*simulator.DistributedVirtualSwitch); ok {
					dvsName = dvs.Name
				}
			}
		}
	}
	rec := s.forward(r)
	task := reReturnval.FindSubmatch(rec.Body.Bytes())
	if pgName != "" && rec.Code == http.StatusOK && task != nil && taskSucceeded(string(task[1])) {
		s.postPortgroupEvent(r, "DVPortgroupDestroyedEvent", "deleted", pgRef, pgName, dvsRef, dvsName)
	}
	copyResponse(w, rec)
}

// datacenterOf is the datacenter an inventory object is in.
func datacenterOf(ref types.ManagedObjectReference) *mo.Datacenter {
	for i := 0; i < 32; i++ {
		obj := simulator.Map.Get(ref)
		if dc, ok := obj.(*simulator.Datacenter); ok {
			return &dc.Datacenter
		}
		e, ok := obj.(mo.Entity)
		if !ok || e.Entity().Parent == nil {
			return nil
		}
		ref = *e.Entity().Parent
	}
	return nil
}

func (s *shim) postPortgroupEvent(r *http.Request, kind, verb string, pg types.ManagedObjectReference, pgName string, dvs types.ManagedObjectReference, dvsName string) {
	cookie, err := r.Cookie("vmware_soap_session")
	if err != nil {
		return
	}
	si, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance)
	if !ok || si.Content.EventManager == nil {
		return
	}
	esc := func(text string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(text))
		return b.String()
	}
	datacenter := ""
	if dc := datacenterOf(dvs); dc != nil {
		datacenter = fmt.Sprintf(`<datacenter><name>%s</name><datacenter type="Datacenter">%s</datacenter></datacenter>`,
			esc(dc.Name), dc.Self.Value)
	}
	event := fmt.Sprintf(`<key>0</key><chainId>0</chainId><createdTime>%s</createdTime><userName></userName>%s`+
		`<net><name>%s</name><network type="DistributedVirtualPortgroup">%s</network></net>`+
		`<dvs><name>%s</name><dvs type="%s">%s</dvs></dvs>`+
		`<fullFormattedMessage>dvPort group %s in %s was %s.</fullFormattedMessage>`,
		time.Now().UTC().Format(time.RFC3339), datacenter, esc(pgName), pg.Value, esc(dvsName), dvs.Type, dvs.Value,
		esc(pgName), esc(dvsName), verb)
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><PostEvent xmlns="urn:vim25"><_this type="EventManager">%s</_this><eventToPost xsi:type="%s">%s</eventToPost></PostEvent></soapenv:Body></soapenv:Envelope>`,
		si.Content.EventManager.Value, kind, event)
	post, err := http.NewRequest(http.MethodPost, "/sdk", strings.NewReader(body))
	if err != nil {
		return
	}
	post.Header.Set("Content-Type", "text/xml; charset=utf-8")
	post.AddCookie(cookie)
	if rec := s.forward(post); rec.Code != http.StatusOK {
		log.Printf("posting %s: HTTP %d: %s", kind, rec.Code, rec.Body.String())
	}
}
