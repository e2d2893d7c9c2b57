package ring

import "testing"

// TestSPSCCore checks which core NewSPSC builds: a Lamport ring from
// minLamportCap slots on, a Vyukov ring with one consumer below.
func TestSPSCCore(t *testing.T) {
	for _, c := range []int{1, 2, 3, 16, 17, 31, 32, 33, 1024} {
		q := NewSPSC[int](c)
		lamport, vyukov := q.lamport != nil, q.vyukov != nil
		want := q.Cap() >= minLamportCap
		if lamport != want || vyukov == want {
			t.Errorf("NewSPSC(%d) (Cap %d): Lamport core %v, Vyukov core %v; want a Lamport core only from %d slots",
				c, q.Cap(), lamport, vyukov, minLamportCap)
		}
		if vyukov && !q.vyukov.single {
			t.Errorf("NewSPSC(%d): a Vyukov core for many consumers, want one", c)
		}
	}
}
