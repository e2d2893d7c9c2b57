//go:build !race

#include "textflag.h"

// func storeRelease(p *atomic.Uint64, v uint64)
TEXT ·storeRelease(SB),NOSPLIT,$0-16
	MOVQ	p+0(FP), AX
	MOVQ	v+8(FP), BX
	MOVQ	BX, 0(AX)
	RET

// func plainPublish(publishing, guard, tail *atomic.Uint64, own *uint64, next uint64) bool
TEXT ·plainPublish(SB),NOSPLIT,$0-41
	MOVQ	publishing+0(FP), AX
	MOVQ	guard+8(FP), BX
	MOVQ	tail+16(FP), CX
	MOVQ	own+24(FP), DI
	MOVQ	next+32(FP), DX
	MOVQ	$1, 0(AX)
	MOVQ	0(BX), SI
	TESTQ	SI, SI
	JNE	guarded
	MOVQ	DX, 0(CX)
	MOVQ	$0, 0(AX)
	MOVQ	DX, 0(DI)
	MOVB	$1, ret+40(FP)
	RET
guarded:
	MOVQ	$0, 0(AX)
	MOVB	$0, ret+40(FP)
	RET
