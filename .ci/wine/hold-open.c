/* Test harness only: plays a PDF viewer that has a packet open. Opens FILE the way Acrobat
 * Reader does (read access, sharing read only: no write, no delete, so no rename over it),
 * runs COMMAND while the file is held, and exits with COMMAND's exit code.
 * Usage: hold-open.exe FILE "COMMAND LINE" */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3) {
        fwprintf(stderr, L"usage: hold-open.exe FILE \"COMMAND LINE\"\n");
        return 2;
    }
    HANDLE held = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (held == INVALID_HANDLE_VALUE) {
        fwprintf(stderr, L"hold-open: cannot open the file (error %lu)\n", GetLastError());
        return 2;
    }
    STARTUPINFOW startup = { sizeof startup };
    PROCESS_INFORMATION child;
    if (!CreateProcessW(NULL, argv[2], NULL, NULL, TRUE, 0, NULL, NULL, &startup, &child)) {
        fwprintf(stderr, L"hold-open: cannot start the command (error %lu)\n", GetLastError());
        return 2;
    }
    DWORD code = 2;
    WaitForSingleObject(child.hProcess, INFINITE);
    GetExitCodeProcess(child.hProcess, &code);
    CloseHandle(held);
    return (int)code;
}
