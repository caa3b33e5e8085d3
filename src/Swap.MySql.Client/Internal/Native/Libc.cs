using System.Runtime.InteropServices;

namespace Swap.MySql.Client.Internal.Native;

/// <summary>poll(2), used to wait on the connection socket for the non-blocking API.</summary>
internal static unsafe partial class Libc
{
    internal const short PollIn = 0x001;
    internal const short PollPri = 0x002;
    internal const short PollOut = 0x004;
    internal const short PollErr = 0x008;
    internal const short PollHup = 0x010;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint nfds, int timeout);
}
