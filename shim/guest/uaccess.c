// SPDX-License-Identifier: Apache-2.0
/*
 * ck's copies from and to program memory: the range check first
 * (ck_user_ok, the region table), then the bytes moved under the user PKRU
 * through this thread's bounce buffer (gate.S's ck_user_copy), so a
 * pointer into K or K2 faults even if the range check were wrong.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include "ck.h"

/*
 * Program memory is touched only through ck_user_copy (the user PKRU,
 * plus the bounce buffer), after the range check; the USER_PKRU mutant
 * copies in the ck domain instead.
 */
static void user_copy(void *dst, const void *src, size_t len, int to_user)
{
	size_t n;

	for (; len; len -= n) {
		n = len < CK_BOUNCE_SIZE ? len : CK_BOUNCE_SIZE;
		if (ck_mutant(USER_PKRU))
			memcpy(dst, src, n);
		else
			ck_user_copy(dst, src, n, to_user);
		dst = (char *)dst + n;
		src = (const char *)src + n;
	}
}

int ck_copy_from_user(void *dst, uint64_t src, size_t len)
{
	if (!ck_user_ok(src, len, PROT_READ))
		return -EFAULT;
	user_copy(dst, (const void *)src, len, 0);
	return 0;
}

int ck_copy_to_user(uint64_t dst, const void *src, size_t len)
{
	if (!ck_user_ok(dst, len, PROT_WRITE))
		return -EFAULT;
	user_copy((void *)dst, src, len, 1);
	return 0;
}
