// Command govmomi-baseline is the benchmark baseline that vicport's vSphere
// client is measured against: the same work, written with govmomi (the Go
// SDK under govc), on the same vcsim, in the same run.
//
// Built offline from Debian's golang-github-vmware-govmomi-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o govmomi-baseline ./benches/govmomi
//
// Modes:
//
//	-mode create -n 200 -parallel 8: resolve the default datacenter, folder,
//	  resource pool and datastore once, then create and power on n VMs with
//	  `parallel` workers. Each VM is one CreateVM_Task carrying a config like
//	  vicport's (a disk, a CD-ROM, two serial ports, extraConfig keys), waited
//	  for, then one PowerOnVM_Task, waited for.
//	-mode ls: one ContainerView of VirtualMachine and RetrievePropertiesEx
//	  (with its continuations) for name, runtime.powerState,
//	  config.extraConfig and config.createDate; the VMs carrying
//	  guestinfo.vicport.id are printed as a JSON array, as `vicport -o json
//	  domain ls` prints them.
//
// It prints nothing else on stdout; timing is the caller's.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"sync"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	rawURL := flag.String("url", "", "SDK URL with user:password")
	mode := flag.String("mode", "ls", "create or ls")
	n := flag.Int("n", 200, "VMs to create")
	parallel := flag.Int("parallel", 8, "concurrent creates")
	prefix := flag.String("prefix", "gv", "VM name prefix")
	flag.Parse()

	ctx := context.Background()
	u, err := url.Parse(*rawURL)
	if err != nil {
		log.Fatal(err)
	}
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		log.Fatal(err)
	}
	switch *mode {
	case "create":
		create(ctx, c, *n, *parallel, *prefix)
	case "ls":
		list(ctx, c)
	default:
		log.Fatalf("unknown mode %q", *mode)
	}
}

func create(ctx context.Context, c *govmomi.Client, n, parallel int, prefix string) {
	finder := find.NewFinder(c.Client, true)
	dc, err := finder.DefaultDatacenter(ctx)
	if err != nil {
		log.Fatal(err)
	}
	finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	if err != nil {
		log.Fatal(err)
	}
	pool, err := finder.DefaultResourcePool(ctx)
	if err != nil {
		log.Fatal(err)
	}
	ds, err := finder.DefaultDatastore(ctx)
	if err != nil {
		log.Fatal(err)
	}
	dsName := ds.Name()

	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				name := fmt.Sprintf("%s-%d", prefix, i)
				spec := configSpec(name, dsName)
				task, err := folders.VmFolder.CreateVM(ctx, spec, pool, nil)
				if err != nil {
					log.Fatal(err)
				}
				info, err := task.WaitForResult(ctx, nil)
				if err != nil {
					log.Fatal(err)
				}
				vm := object.NewVirtualMachine(c.Client, info.Result.(types.ManagedObjectReference))
				ptask, err := vm.PowerOn(ctx)
				if err != nil {
					log.Fatal(err)
				}
				if err := ptask.Wait(ctx); err != nil {
					log.Fatal(err)
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}

// configSpec is a VM like vicport's: a SCSI controller and a disk, a CD-ROM
// with the boot ISO, a file-backed and a network-backed serial port, and
// the guestinfo keys.
func configSpec(name, ds string) types.VirtualMachineConfigSpec {
	scsi := &types.ParaVirtualSCSIController{VirtualSCSIController: types.VirtualSCSIController{
		SharedBus: types.VirtualSCSISharingNoSharing,
		VirtualController: types.VirtualController{
			BusNumber:     0,
			VirtualDevice: types.VirtualDevice{Key: -1},
		},
	}}
	disk := &types.VirtualDisk{
		VirtualDevice: types.VirtualDevice{
			Key:           -2,
			ControllerKey: -1,
			UnitNumber:    types.NewInt32(0),
			Backing: &types.VirtualDiskFlatVer2BackingInfo{
				DiskMode:        string(types.VirtualDiskModePersistent),
				ThinProvisioned: types.NewBool(true),
				VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{
					FileName: fmt.Sprintf("[%s] %s/%s.vmdk", ds, name, name),
				},
			},
		},
		CapacityInKB: 1 << 20,
	}
	cdrom := &types.VirtualCdrom{VirtualDevice: types.VirtualDevice{
		Key: -3,
		Backing: &types.VirtualCdromIsoBackingInfo{VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{
			FileName: fmt.Sprintf("[%s] vicport/bootstrap.iso", ds),
		}},
	}}
	logPort := &types.VirtualSerialPort{VirtualDevice: types.VirtualDevice{
		Key: -4,
		Backing: &types.VirtualSerialPortFileBackingInfo{VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{
			FileName: fmt.Sprintf("[%s] %s/output.log", ds, name),
		}},
	}}
	linkPort := &types.VirtualSerialPort{VirtualDevice: types.VirtualDevice{
		Key: -5,
		Backing: &types.VirtualSerialPortURIBackingInfo{VirtualDeviceURIBackingInfo: types.VirtualDeviceURIBackingInfo{
			Direction:  string(types.VirtualDeviceURIBackingOptionDirectionServer),
			ServiceURI: "tcp://:40000",
		}},
	}}
	var changes []types.BaseVirtualDeviceConfigSpec
	for _, d := range []types.BaseVirtualDevice{scsi, cdrom, logPort, linkPort} {
		changes = append(changes, &types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, Device: d})
	}
	changes = append(changes, &types.VirtualDeviceConfigSpec{
		Operation:     types.VirtualDeviceConfigSpecOperationAdd,
		FileOperation: types.VirtualDeviceConfigSpecFileOperationCreate,
		Device:        disk,
	})
	return types.VirtualMachineConfigSpec{
		Name:         name,
		GuestId:      "otherLinux64Guest",
		NumCPUs:      1,
		MemoryMB:     256,
		Files:        &types.VirtualMachineFileInfo{VmPathName: fmt.Sprintf("[%s]", ds)},
		DeviceChange: changes,
		ExtraConfig: []types.BaseOptionValue{
			&types.OptionValue{Key: "guestinfo.vicport.id", Value: name},
			&types.OptionValue{Key: "guestinfo.vicport.spec", Value: `{"name":"` + name + `"}`},
			&types.OptionValue{Key: "guestinfo.vicport.created", Value: "2026-01-01T00:00:00Z"},
		},
	}
}

type row struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	State   string            `json:"state"`
	Created string            `json:"created"`
	Labels  map[string]string `json:"labels"`
}

func list(ctx context.Context, c *govmomi.Client) {
	m := view.NewManager(c.Client)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		log.Fatal(err)
	}
	defer v.Destroy(ctx)
	pc := property.DefaultCollector(c.Client)
	req := types.RetrievePropertiesEx{
		This: pc.Reference(),
		SpecSet: []types.PropertyFilterSpec{{
			ObjectSet: []types.ObjectSpec{{
				Obj:  v.Reference(),
				Skip: types.NewBool(true),
				SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{
					Type: "ContainerView",
					Path: "view",
				}},
			}},
			PropSet: []types.PropertySpec{{
				Type:    "VirtualMachine",
				PathSet: []string{"name", "runtime.powerState", "config.extraConfig", "config.createDate"},
			}},
		}},
		Options: types.RetrieveOptions{MaxObjects: 100},
	}
	res, err := methods.RetrievePropertiesEx(ctx, c.Client, &req)
	if err != nil {
		log.Fatal(err)
	}
	var content []types.ObjectContent
	for res.Returnval != nil {
		content = append(content, res.Returnval.Objects...)
		if res.Returnval.Token == "" {
			break
		}
		next, err := methods.ContinueRetrievePropertiesEx(ctx, c.Client, &types.ContinueRetrievePropertiesEx{This: pc.Reference(), Token: res.Returnval.Token})
		if err != nil {
			log.Fatal(err)
		}
		returnval := next.Returnval
		res = &types.RetrievePropertiesExResponse{Returnval: &returnval}
	}
	var vms []mo.VirtualMachine
	if err := mo.LoadObjectContent(content, &vms); err != nil {
		log.Fatal(err)
	}
	rows := []row{}
	for _, vm := range vms {
		if vm.Config == nil {
			continue
		}
		id := ""
		for _, o := range vm.Config.ExtraConfig {
			if ov := o.GetOptionValue(); ov.Key == "guestinfo.vicport.id" {
				id = fmt.Sprint(ov.Value)
			}
		}
		if id == "" {
			continue
		}
		created := ""
		if vm.Config.CreateDate != nil {
			created = vm.Config.CreateDate.String()
		}
		rows = append(rows, row{ID: id, Name: vm.Name, State: string(vm.Runtime.PowerState), Created: created, Labels: map[string]string{}})
	}
	if err := json.NewEncoder(os.Stdout).Encode(rows); err != nil {
		log.Fatal(err)
	}
}
