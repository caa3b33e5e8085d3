using Swap.MySql.Client;
using Swap.MySql.Client.Internal.Native;

namespace Swap.Tests.MySqlClient;

public class LibraryResolverTests
{
    [Fact]
    public void Missing_library_message_names_the_debian_package_and_what_was_tried()
    {
        Assert.False(LibraryResolver.TryLoad(["libnot-there-1.so", "/nope/libmariadb.so.3"], out var handle, out var error));
        Assert.Equal(0, handle);
        Assert.Contains("apt-get install libmariadb3", error, StringComparison.Ordinal);
        Assert.Contains("libnot-there-1.so, /nope/libmariadb.so.3", error, StringComparison.Ordinal);
        var ex = LibraryResolver.NotInstalled(error);
        Assert.Equal(MySqlErrorCodes.ClientLibraryUnavailable, ex.Number);
        Assert.IsType<DllNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void Candidates_try_the_debian_soname_first()
    {
        Assert.Equal("libmariadb.so.3", LibraryResolver.DefaultCandidates[0]);
        Assert.Contains("libmysqlclient.so.21", LibraryResolver.DefaultCandidates);
    }
}
