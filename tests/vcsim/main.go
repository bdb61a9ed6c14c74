// Command vcsim runs govmomi's vSphere API simulator for vicport's tests.
//
// It is built offline from Debian's golang-github-vmware-govmomi-dev (0.24):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o vcsim ./tests/vcsim
//
// It starts a vCenter (VPX) model, or a standalone ESX model with -esx, serves
// it on 127.0.0.1 (plain HTTP, or HTTPS with a fresh self-signed certificate
// with -tls), writes the apiVersion it announces to api-version beside
// -url-file, then the SDK URL with the accepted username and password to
// -url-file, and runs until it is killed.
//
// The shims in front of the simulator live here, except the port groups'
// configVersion (portgroups.go) and their events (events.go); the test
// certificates are made in certificate.go.
//
// vcsim 0.24 lacks two behaviours of a real vCenter that vicport relies on;
// this main adds them in front of the simulator, at the HTTP level, so that
// tests can exercise them (each can be turned off with its flag):
//   - config.changeVersion: vcsim never sets it and never checks it. Here
//     every VM created through the API gets one, every successful
//     ReconfigVM_Task moves it on, and a ReconfigVM_Task whose spec carries
//     a stale changeVersion fails with ConcurrentAccess, as vCenter does.
//   - RetrievePropertiesEx paging: vcsim ignores options.maxObjects and
//     never answers with a continuation token, nor implements
//     ContinueRetrievePropertiesEx. Here a result larger than maxObjects is
//     cut into pages that ContinueRetrievePropertiesEx hands out by token.
//
// A race of vcsim 0.24 is kept out of the way: SearchIndex.FindChild panics
// on a VM that a concurrent CreateVM_Task has put in its folder but not yet
// named; here such a FindChild is asked again until the VM has its name.
//
// vCenter records DVPortgroupCreatedEvent and DVPortgroupDestroyedEvent in
// its event history; vcsim 0.24 records neither. Here they are posted when
// AddDVPortgroup_Task or a port group's Destroy_Task succeeds
// (-portgroup-events).
//
// One more vCenter rule is enforced the same way (-duplicate-names): a
// CreateVM_Task naming a VM its folder already holds fails with
// DuplicateName (vcsim 0.24 creates a second VM of the same name).
//
// For the tests' checks of vicport itself:
//   - -api-version V makes ServiceContent.about.apiVersion announce V
//     (vcsim 0.24 says 6.5), so a test can play an older or newer vCenter.
//   - -request-log FILE appends every SOAP request, as the client sent it,
//     to FILE; the harness checks each one against the vim25 schema of the
//     announced version (tests/cli/support/vim25.rs).
//   - -tls -rsa-bits 1024 serves an RSA-1024 certificate, as stock vcsim
//     and old ESXi hosts do; -tls-max 1.2 stops at TLS 1.2, whose handshake
//     is signed in ServerKeyExchange rather than in CertificateVerify.
//
// Two more behaviours of vCenter that vcsim 0.24 lacks are added the same way:
//   - DVPortgroupConfigSpec.configVersion (-config-version): vcsim leaves
//     config.configVersion empty, never moves it on, never checks it, and its
//     ReconfigureDVPortgroup_Task overwrites every field of the config with
//     the spec's, set or not. Here every distributed port group gets a
//     numeric configVersion ("0" at start and when added), a
//     ReconfigureDVPortgroup_Task without one fails with InvalidArgument, one
//     with a stale one fails with ConcurrentAccess (both as the vSphere API
//     reference says), a successful one moves it on by one, and the fields
//     the spec leaves unset keep their values, as vCenter keeps them.
//   - Datastore file access (-folder-auth): vcsim serves /folder/ to anyone.
//     Here a /folder/ request must carry the session cookie of a logged-in
//     session (checked by asking the simulator for
//     SessionManager.currentSession with that cookie), else it is answered
//     401, as vCenter does.
package main

import (
	"bytes"
	"crypto/tls"
	"encoding/xml"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// delays collects repeated -delay Method=milliseconds flags.
type delays map[string]int

func (d delays) String() string { return fmt.Sprint(map[string]int(d)) }

func (d delays) Set(v string) error {
	parts := strings.SplitN(v, "=", 2)
	if len(parts) != 2 {
		return fmt.Errorf("want Method=milliseconds, got %q", v)
	}
	ms, err := strconv.Atoi(parts[1])
	if err != nil {
		return err
	}
	d[parts[0]] = ms
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	urlFile := flag.String("url-file", "", "write the SDK URL, with username and password, to this file")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a fresh self-signed certificate")
	certDir := flag.String("cert-dir", "", "with -tls: write cert.pem, thumbprint-sha256 and thumbprint-sha1 here")
	esx := flag.Bool("esx", false, "simulate a standalone ESX host instead of a vCenter")
	username := flag.String("username", "user", "the username Login accepts")
	password := flag.String("password", "pass", "the password Login accepts")
	dc := flag.Int("dc", 1, "datacenters")
	cluster := flag.Int("cluster", 1, "clusters per datacenter")
	clusterHost := flag.Int("host", 3, "hosts per cluster")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter")
	pool := flag.Int("pool", 0, "child resource pools per cluster")
	ds := flag.Int("ds", 1, "datastores")
	pg := flag.Int("pg", 1, "distributed port groups per datacenter (on one DVS)")
	vm := flag.Int("vm", 2, "VMs (not vicport's) per resource pool")
	folder := flag.Int("folder", 0, "put each datacenter and its contents in folders")
	changeVersion := flag.Bool("change-version", true, "emulate vCenter's config.changeVersion check")
	paging := flag.Bool("paging", true, "emulate RetrievePropertiesEx paging by maxObjects")
	configVersion := flag.Bool("config-version", true, "emulate vCenter's DVPortgroup configVersion check")
	folderAuth := flag.Bool("folder-auth", true, "require a session cookie for /folder/ datastore access")
	portgroupEvents := flag.Bool("portgroup-events", true, "post DVPortgroupCreatedEvent and DVPortgroupDestroyedEvent, as vCenter does")
	duplicateNames := flag.Bool("duplicate-names", true, "refuse a VM name its folder already holds (DuplicateName), as vCenter does")
	apiVersion := flag.String("api-version", "", "the apiVersion ServiceContent.about announces (vcsim's own, 6.5, when empty)")
	requestLog := flag.String("request-log", "", "append every SOAP request to this file: a line \"LENGTH SOAPACTION\", the body, a newline")
	rsaBits := flag.Int("rsa-bits", 0, "with -tls: an RSA key of this many bits (e.g. 1024, as stock vcsim and old ESXi serve) instead of ECDSA P-256")
	tlsMax := flag.String("tls-max", "", "with -tls: the newest TLS version served, 1.2 or 1.3 (the default)")
	methodDelay := delays{}
	flag.Var(methodDelay, "delay", "delay a method, Method=milliseconds (repeatable)")
	flag.Parse()

	if *urlFile == "" {
		log.Fatal("-url-file is required")
	}

	model := simulator.VPX()
	if *esx {
		model = simulator.ESX()
	} else {
		model.Datacenter = *dc
		model.Cluster = *cluster
		model.ClusterHost = *clusterHost
		model.Host = *standalone
		model.Pool = *pool
		model.Portgroup = *pg
		model.Folder = *folder
	}
	model.Datastore = *ds
	model.Machine = *vm
	model.DelayConfig.MethodDelay = methodDelay

	// Datastores are directories under TMPDIR: the test harness points it at
	// the test's own temporary directory.
	if err := model.Create(); err != nil {
		log.Fatalf("creating the model: %v", err)
	}

	if *apiVersion != "" {
		si, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance)
		if !ok {
			log.Fatal("the model has no ServiceInstance")
		}
		si.Content.About.ApiVersion = *apiVersion
	}
	// The harness checks requests against the schema of the version announced.
	if si, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance); ok {
		path := filepath.Join(filepath.Dir(*urlFile), "api-version")
		if err := writeAtomic(path, []byte(si.Content.About.ApiVersion+"\n")); err != nil {
			log.Fatalf("writing %s: %v", path, err)
		}
	}

	model.Service.Listen = &url.URL{Host: *addr, User: url.UserPassword(*username, *password)}
	if *useTLS {
		cert, err := selfSigned(*certDir, *rsaBits)
		if err != nil {
			log.Fatalf("making a certificate: %v", err)
		}
		model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		switch *tlsMax {
		case "", "1.3":
		case "1.2":
			model.Service.TLS.MaxVersion = tls.VersionTLS12
		default:
			log.Fatalf("-tls-max: want 1.2 or 1.3, got %q", *tlsMax)
		}
	}

	server := model.Service.NewServer()
	// Wrap the simulator's handler before anyone knows the URL.
	var requests *os.File
	if *requestLog != "" {
		f, err := os.OpenFile(*requestLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			log.Fatalf("opening %s: %v", *requestLog, err)
		}
		requests = f
	}
	server.Config.Handler = &shim{
		requests:        requests,
		next:            server.Config.Handler,
		changeVersion:   *changeVersion,
		configVersion:   *configVersion,
		folderAuth:      *folderAuth,
		paging:          *paging,
		duplicateNames:  *duplicateNames,
		portgroupEvents: *portgroupEvents,
		pages:           map[string][][]byte{},
	}
	if *configVersion {
		initPortgroupVersions()
	}

	u := *server.URL
	u.User = url.UserPassword(*username, *password)
	if err := writeAtomic(*urlFile, []byte(u.String()+"\n")); err != nil {
		log.Fatalf("writing %s: %v", *urlFile, err)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	server.Close()
	model.Remove()
}

// writeAtomic writes a file so that readers never see it half-written.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := ioutil.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// shim adds changeVersion checks and RetrievePropertiesEx paging in front
// of the simulator's HTTP handler (see the package comment).
type shim struct {
	// requests, when set, gets every SOAP request (see -request-log).
	requests   *os.File
	requestsMu sync.Mutex

	next          http.Handler
	changeVersion bool
	configVersion bool
	folderAuth    bool
	paging        bool

	// vmLocks serialise ReconfigVM_Task per VM from the version check to
	// the version bump, so that a check cannot pass twice for one version.
	vmLocks sync.Map // VM moref value -> *sync.Mutex
	// pgLocks serialise ReconfigureDVPortgroup_Task per port group the same way.
	pgLocks sync.Map // port group moref value -> *sync.Mutex
	counter int64
	mu      sync.Mutex
	pages   map[string][][]byte // continuation token -> remaining pages

	// duplicateNames refuses a CreateVM_Task whose VM name its folder
	// already holds; creates takes one CreateVM_Task at a time so the check
	// and the create cannot interleave.
	duplicateNames bool
	creates        sync.Mutex

	// portgroupEvents posts the events vCenter records for distributed port
	// groups made and destroyed (vcsim 0.24 records none).
	portgroupEvents bool
}

var reConfigName = regexp.MustCompile(`<config>(?s:.*?)<name>([^<]*)</name>`)

// createVM forwards a CreateVM_Task: refused with DuplicateName when the
// folder already holds an entity of that name (vCenter's rule, which vcsim
// 0.24 does not enforce), and with a changeVersion given to the new VM.
func (s *shim) createVM(w http.ResponseWriter, r *http.Request, body []byte) {
	s.creates.Lock()
	defer s.creates.Unlock()
	if s.duplicateNames {
		folder := reThis.FindSubmatch(body)
		name := reConfigName.FindSubmatch(body)
		if folder != nil && name != nil {
			ref := types.ManagedObjectReference{Type: "Folder", Value: string(folder[1])}
			if f, ok := simulator.Map.Get(ref).(*simulator.Folder); ok {
				taken := false
				simulator.Map.WithLock(f, func() {
					for _, child := range f.ChildEntity {
						if e, ok := simulator.Map.Get(child).(mo.Entity); ok && e.Entity().Name == string(name[1]) {
							taken = true
						}
					}
				})
				if taken {
					fault(w, "DuplicateName", fmt.Sprintf("The name '%s' already exists.", name[1]))
					return
				}
			}
		}
	}
	rec := s.forward(r)
	if s.changeVersion && rec.Code == http.StatusOK {
		if task := reReturnval.FindSubmatch(rec.Body.Bytes()); task != nil {
			if vm := taskResult(string(task[1])); vm != nil {
				s.bump(*vm)
			}
		}
	}
	copyResponse(w, rec)
}

var (
	reThis          = regexp.MustCompile(`<_this[^>]*>([^<]+)</_this>`)
	reChangeVersion = regexp.MustCompile(`<changeVersion>([^<]*)</changeVersion>`)
	reReturnval     = regexp.MustCompile(`<returnval[^>]*>([^<]+)</returnval>`)
	reMaxObjects    = regexp.MustCompile(`<maxObjects>(\d+)</maxObjects>`)
	reToken         = regexp.MustCompile(`<token>([^<]*)</token>`)
)

func (s *shim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.folderAuth && strings.HasPrefix(r.URL.Path, "/folder/") && !s.loggedIn(r) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/sdk") {
		s.next.ServeHTTP(w, r)
		return
	}
	body, err := ioutil.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	method := soapMethod(body)
	r.Body = ioutil.NopCloser(bytes.NewReader(body))
	s.record(r.Header.Get("SOAPAction"), body)

	switch {
	case method == "FindChild":
		copyResponse(w, s.findChild(r, body))
	case s.changeVersion && method == "ReconfigVM_Task":
		s.reconfigure(w, r, body)
	case method == "CreateVM_Task" && (s.changeVersion || s.duplicateNames):
		s.createVM(w, r, body)
	case s.paging && method == "RetrievePropertiesEx":
		rec := s.forward(r)
		max := reMaxObjects.FindSubmatch(body)
		if rec.Code == http.StatusOK && max != nil {
			n, _ := strconv.Atoi(string(max[1]))
			s.paginate(w, rec, n)
			return
		}
		copyResponse(w, rec)
	case s.configVersion && method == "ReconfigureDVPortgroup_Task":
		s.reconfigurePortgroup(w, r, body)
	case method == "AddDVPortgroup_Task" && (s.configVersion || s.portgroupEvents):
		rec := s.forward(r)
		if s.configVersion {
			initPortgroupVersions()
		}
		if s.portgroupEvents {
			s.portgroupsAdded(r, body, rec)
		}
		copyResponse(w, rec)
	case method == "Destroy_Task" && s.portgroupEvents && bytes.Contains(body, []byte(`type="DistributedVirtualPortgroup"`)):
		s.destroyPortgroup(w, r, body)
	case s.paging && method == "ContinueRetrievePropertiesEx":
		s.continuePages(w, body)
	default:
		s.next.ServeHTTP(w, r)
	}
}

// record appends one request to the request log: "LENGTH SOAPACTION\n",
// the body, "\n". The test harness checks each against the vim25 schema.
func (s *shim) record(action string, body []byte) {
	if s.requests == nil {
		return
	}
	s.requestsMu.Lock()
	defer s.requestsMu.Unlock()
	fmt.Fprintf(s.requests, "%d %s\n", len(body), strings.ReplaceAll(action, "\n", " "))
	_, _ = s.requests.Write(body)
	_, _ = s.requests.Write([]byte("\n"))
}

// soapMethod is the name of the first element inside the SOAP Body.
func soapMethod(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			if inBody {
				return se.Name.Local
			}
			inBody = se.Name.Local == "Body"
		}
	}
}

// findChild answers SearchIndex.FindChild, asking again when vcsim panics
// on a VM that a concurrent CreateVM_Task has put in the folder but not yet
// named (a vCenter never shows a half-made VM to FindChild). The answer is
// recorded, so a panicking attempt sends nothing to the client.
func (s *shim) findChild(r *http.Request, body []byte) (rec *httptest.ResponseRecorder) {
	for attempt := 0; ; attempt++ {
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		rec, panicked := s.forwardRecovering(r)
		if !panicked || attempt == 100 {
			return rec
		}
		time.Sleep(time.Millisecond)
	}
}

func (s *shim) forwardRecovering(r *http.Request) (rec *httptest.ResponseRecorder, panicked bool) {
	defer func() {
		if recover() != nil {
			rec = httptest.NewRecorder()
			rec.WriteHeader(http.StatusInternalServerError)
			panicked = true
		}
	}()
	return s.forward(r), false
}

func (s *shim) forward(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.next.ServeHTTP(rec, r)
	return rec
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (s *shim) reconfigure(w http.ResponseWriter, r *http.Request, body []byte) {
	this := reThis.FindSubmatch(body)
	if this == nil {
		s.next.ServeHTTP(w, r)
		return
	}
	ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: string(this[1])}
	lock, _ := s.vmLocks.LoadOrStore(ref.Value, &sync.Mutex{})
	lock.(*sync.Mutex).Lock()
	defer lock.(*sync.Mutex).Unlock()

	if want := reChangeVersion.FindSubmatch(body); want != nil {
		if have := currentVersion(ref); have != string(want[1]) {
			fault(w, "ConcurrentAccess",
				fmt.Sprintf("Cannot complete operation due to concurrent modification by another operation (changeVersion %s, now %s).", want[1], have))
			return
		}
	}
	rec := s.forward(r)
	if rec.Code == http.StatusOK {
		if task := reReturnval.FindSubmatch(rec.Body.Bytes()); task != nil && taskSucceeded(string(task[1])) {
			s.bump(ref)
		}
	}
	copyResponse(w, rec)
}

func currentVersion(ref types.ManagedObjectReference) string {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return ""
	}
	var v string
	simulator.Map.WithLock(vm, func() { v = vm.Config.ChangeVersion })
	return v
}

// bump gives the VM a new changeVersion (a timestamp with a counter, unique
// like vCenter's).
func (s *shim) bump(ref types.ManagedObjectReference) {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	s.mu.Lock()
	s.counter++
	v := fmt.Sprintf("%s-%d", time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), s.counter)
	s.mu.Unlock()
	simulator.Map.WithLock(vm, func() {
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "config.changeVersion", Val: v}})
	})
}

func task(id string) *simulator.Task {
	t, _ := simulator.Map.Get(types.ManagedObjectReference{Type: "Task", Value: id}).(*simulator.Task)
	return t
}

func taskSucceeded(id string) bool {
	t := task(id)
	return t != nil && t.Info.State == types.TaskInfoStateSuccess
}

func taskResult(id string) *types.ManagedObjectReference {
	t := task(id)
	if t == nil || t.Info.State != types.TaskInfoStateSuccess {
		return nil
	}
	ref, ok := t.Info.Result.(types.ManagedObjectReference)
	if !ok {
		return nil
	}
	return &ref
}

// fault answers with a SOAP fault of the given vim25 type, as vCenter does.
func fault(w http.ResponseWriter, kind, msg string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(msg))
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>%s</faultstring>
<detail><%sFault xmlns="urn:vim25" xsi:type="%s"></%sFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
		esc.String(), kind, kind, kind)
}

// objectSpans finds the top-level <objects>...</objects> elements of a
// RetrievePropertiesEx response (ObjectContent never nests another).
func objectSpans(body []byte) [][2]int {
	var spans [][2]int
	open, close := []byte("<objects>"), []byte("</objects>")
	at := 0
	for {
		i := bytes.Index(body[at:], open)
		if i < 0 {
			return spans
		}
		j := bytes.Index(body[at+i:], close)
		if j < 0 {
			return spans
		}
		start, end := at+i, at+i+j+len(close)
		spans = append(spans, [2]int{start, end})
		at = end
	}
}

// paginate answers with the first max objects and a token for the rest.
func (s *shim) paginate(w http.ResponseWriter, rec *httptest.ResponseRecorder, max int) {
	body := rec.Body.Bytes()
	spans := objectSpans(body)
	if max <= 0 || len(spans) <= max {
		copyResponse(w, rec)
		return
	}
	head, tail := body[:spans[0][0]], body[spans[len(spans)-1][1]:]
	var pages [][]byte
	for i := 0; i < len(spans); i += max {
		end := i + max
		if end > len(spans) {
			end = len(spans)
		}
		pages = append(pages, body[spans[i][0]:spans[end-1][1]])
	}
	s.respondPage(w, head, tail, pages, false)
}

// respondPage writes the first page with a token for the remaining ones.
// Continued pages reuse the head and tail of the first response, with the
// method's response element renamed.
func (s *shim) respondPage(w http.ResponseWriter, head, tail []byte, pages [][]byte, continued bool) {
	var out bytes.Buffer
	if continued {
		rename := func(b []byte) []byte {
			return bytes.Replace(b, []byte("RetrievePropertiesExResponse"), []byte("ContinueRetrievePropertiesExResponse"), 1)
		}
		out.Write(rename(head))
		defer func() { _, _ = w.Write(rename(tail)) }()
	} else {
		out.Write(head)
		defer func() { _, _ = w.Write(tail) }()
	}
	out.Write(pages[0])
	if len(pages) > 1 {
		s.mu.Lock()
		s.counter++
		token := fmt.Sprintf("page-%d", s.counter)
		s.pages[token] = append([][]byte{head, tail}, pages[1:]...)
		s.mu.Unlock()
		fmt.Fprintf(&out, "<token>%s</token>", token)
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out.Bytes())
}

func (s *shim) continuePages(w http.ResponseWriter, body []byte) {
	tok := reToken.FindSubmatch(body)
	s.mu.Lock()
	var rest [][]byte
	if tok != nil {
		rest = s.pages[string(tok[1])]
		delete(s.pages, string(tok[1]))
	}
	s.mu.Unlock()
	if rest == nil {
		fault(w, "InvalidArgument", "unknown continuation token")
		return
	}
	s.respondPage(w, rest[0], rest[1], rest[2:], true)
}

// loggedIn tells whether the request carries the cookie of a live session:
// the simulator is asked for SessionManager.currentSession with it.
func (s *shim) loggedIn(r *http.Request) bool {
	cookie, err := r.Cookie("vmware_soap_session")
	if err != nil {
		return false
	}
	si, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance)
	if !ok {
		return false
	}
	pc := si.Content.PropertyCollector
	sm := si.Content.SessionManager
	if sm == nil {
		return false
	}
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><RetrievePropertiesEx xmlns="urn:vim25"><_this type="%s">%s</_this><specSet><propSet><type>SessionManager</type><all>false</all><pathSet>currentSession</pathSet></propSet><objectSet><obj type="SessionManager">%s</obj><skip>false</skip></objectSet></specSet><options></options></RetrievePropertiesEx></soapenv:Body></soapenv:Envelope>`,
		pc.Type, pc.Value, sm.Value)
	probe, err := http.NewRequest(http.MethodPost, "/sdk", strings.NewReader(body))
	if err != nil {
		return false
	}
	probe.Header.Set("Content-Type", "text/xml; charset=utf-8")
	probe.AddCookie(cookie)
	rec := s.forward(probe)
	return rec.Code == http.StatusOK && bytes.Contains(rec.Body.Bytes(), []byte("<userName>"))
}
