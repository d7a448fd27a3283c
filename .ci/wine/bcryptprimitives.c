/* Test harness only, never shipped: Debian's Wine 8 has no bcryptprimitives.dll, whose
 * ProcessPrng Rust's standard library imports on Windows (its random source, behind
 * HashMap's seeds and tempfile's names). This stand-in forwards to RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. Built with mingw by .ci/wine-smoke and
 * placed beside licpack.exe only inside the smoke's scratch folder. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a 32-bit length; ProcessPrng never fails, so loop. */
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
