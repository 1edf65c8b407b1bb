// SPDX-License-Identifier: Apache-2.0
/*
 * p_lazy: floating-point arguments through lazy binding (linked -z lazy):
 * each first call of a libm or libc function goes through ld.so's
 * _dl_runtime_resolve, whose XRSTOR (a kind-1 site ck rewrites and
 * emulates) restores the argument registers _dl_fixup may have used.
 */
#include <math.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	volatile double a = 1.0 + argc, b = 10.0;
	char buf[128];

	(void)argv;
	printf("%.1f %.4f %.6f\n", pow(a, b), hypot(1.5 * a, 2.0 * a),
	       atan2(a, b));
	snprintf(buf, sizeof(buf), "%g|%g|%g", ldexp(a, 5), fmax(a, b),
		 cbrt(a * a * a));
	puts(buf);
	return 0;
}
