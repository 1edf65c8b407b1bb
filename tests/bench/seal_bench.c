// SPDX-License-Identifier: Apache-2.0
/*
 * The cost of sealing 2 MiB of code as a ratio to copying 2 MiB (memcpy),
 * both measured in the same run, median of 21. Run in the test VM the times
 * are emulated: only the ratio is reported as meaningful, and even that
 * only roughly (TCG does not cost instructions as hardware does).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <paracell/paracell.h>

#include "bench.h"

#define SIZE (2UL << 20)
#define REPS 21

int main(void)
{
	double seal[REPS], copy[REPS], t0;
	struct paracell_cell *cell;
	unsigned char *src, *dst;
	int i, fd;

	src = malloc(SIZE);
	dst = malloc(SIZE);
	if (!src || !dst || paracell_cell_open(&cell, -1, 0))
		return 1;
	memset(src, 0x90, SIZE);
	src[SIZE - 1] = 0xc3;
	memset(dst, 1, SIZE);
	for (i = 0; i < REPS; i++) {
		t0 = now_us();
		memcpy(dst, src, SIZE);
		__asm__ volatile("" : : "r"(dst) : "memory");
		copy[i] = now_us() - t0;
		t0 = now_us();
		fd = paracell_seal(cell, src, SIZE, NULL);
		seal[i] = now_us() - t0;
		if (fd < 0)
			return 1;
		close(fd);
	}
	qsort(seal, REPS, sizeof(seal[0]), cmp_double);
	qsort(copy, REPS, sizeof(copy[0]), cmp_double);
	printf("backend %s: seal 2 MiB %.0f us, memcpy 2 MiB %.0f us "
	       "(EMULATED if in the VM), seal/copy ratio %.1f\n",
	       paracell_backend_name(paracell_cell_backend(cell)),
	       seal[REPS / 2], copy[REPS / 2], seal[REPS / 2] / copy[REPS / 2]);
	paracell_cell_close(cell);
	return 0;
}
