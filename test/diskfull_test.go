package test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFull runs the service on a small tmpfs, fills the disk, and
// checks that writes fail with 503 problem responses while reads keep
// working and /readyz reports not ready, and that writes work again once
// space returns. It needs to mount a tmpfs (root); elsewhere it is skipped.
func TestDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); the disk-full test needs root", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })

	p := start(t, mnt, "TFP_TODAY=2027-03-10")
	status, loan, _ := p.do("POST", "/v1/loans", "officer", strings.Replace(crashTerms, "REF", "DF-1", 1))
	if status != 201 {
		t.Fatalf("booking: %d %v", status, loan)
	}
	id := loan["id"].(string)
	// Fill what is left of the tmpfs.
	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()

	// Post attestations until the file has to grow and cannot: then 503.
	got503 := false
	for i := 0; i < 400 && !got503; i++ {
		status, body := p.doKey("POST", "/v1/loans/"+id+"/attestations", "verifier", fmt.Sprint("df-", i), attestation(2026, fmt.Sprint(70+i%10), ""))
		switch status {
		case 201:
		case 503:
			got503 = body["type"] == "urn:tfpricing:problem:unavailable"
			if !got503 {
				t.Fatalf("503 without the problem document: %v", body)
			}
		default:
			t.Fatalf("attestation %d with the disk full: %d %v", i, status, body)
		}
	}
	if !got503 {
		t.Fatal("the disk never filled up")
	}
	if status, _, _ := p.do("GET", "/v1/loans/"+id+"/schedule", "officer", nil); status != 200 {
		t.Errorf("read with the disk full: %d", status)
	}
	if status, _, _ := p.do("GET", "/readyz", "", nil); status != 503 {
		t.Errorf("readyz with the disk full: %d", status)
	}

	os.Remove(filler)
	if status, _, _ := p.do("GET", "/readyz", "", nil); status != 200 {
		t.Errorf("readyz after space returned: %d", status)
	}
	if status, body := p.doKey("POST", "/v1/loans/"+id+"/attestations", "verifier", "df-after", attestation(2026, "75", "")); status != 201 {
		t.Errorf("write after space returned: %d %v", status, body)
	}
	p.stop()
}
