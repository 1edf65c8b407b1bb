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
 * plus the bounce buffer), after the range check, armed (intr.c): a
 * fault there (memory unmapped or made PROT_NONE by another thread, a
 * file mapping past its end: SIGBUS) is -EFAULT, as Linux answers. The
 * USER_PKRU mutant copies in the ck domain instead.
 */
static int user_copy(void *dst, const void *src, size_t len, int to_user)
{
	struct ck_cb *cb = ck_this_task()->cb;
	size_t n;

	for (; len; len -= n) {
		n = len < CK_BOUNCE_SIZE ? len : CK_BOUNCE_SIZE;
		if (ck_mutant(USER_PKRU))
			memcpy(dst, src, n);
		else if (ck_intr_copy(cb, dst, src, n, to_user))
			return -EFAULT;
		dst = (char *)dst + n;
		src = (const char *)src + n;
	}
	return 0;
}

int ck_copy_from_user(void *dst, uint64_t src, size_t len)
{
	if (!ck_user_ok(src, len, PROT_READ))
		return -EFAULT;
	return user_copy(dst, (const void *)src, len, 0);
}

int ck_copy_to_user(uint64_t dst, const void *src, size_t len)
{
	if (!ck_user_ok(dst, len, PROT_WRITE))
		return -EFAULT;
	return user_copy((void *)dst, src, len, 1);
}
