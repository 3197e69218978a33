using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace DeepRacer.Analysis.Web.Tests;

/// <summary>The dashboard serves its own pages and API only, read-only, on loopback unless asked.</summary>
[Collection(WebCollection.Name)]
public sealed class SecurityTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData("/../../../../etc/passwd")]
    [InlineData("/assets/../../../../etc/passwd")]
    [InlineData("/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/assets/%2E%2E/%2E%2E/etc/passwd")]
    [InlineData("/assets/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/assets/%2e%2e%5c%2e%2e%5cetc%5cpasswd")]
    [InlineData("/api/episodes/..%2f..%2f..%2fetc/passwd")]
    public async Task Traversal_IsRejected(string target)
    {
        // A raw request line: HttpClient would normalise the dots away before sending.
        var (status, body) = await RawGetAsync(dashboard.Url, target);
        Assert.True(status is 400 or 404, $"{target} answered {status}");
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyOwnRoutes_AndOnlyReads()
    {
        using var client = new HttpClient { BaseAddress = dashboard.Url };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/etc/passwd")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/DeepRacer.Analysis.Web.dll")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/api/episodes", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/episodes?source=0&sort=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/overview?source=9")).StatusCode);
        var page = await client.GetAsync("/");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultBind_IsLoopbackOnly()
    {
        Assert.Equal(DashboardOptions.Loopback, new DashboardOptions().Host);
        var addresses = dashboard.Dashboard.Addresses;
        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.StartsWith("http://127.0.0.1:", a, StringComparison.Ordinal));

        // The same port on this machine's other addresses refuses the connection.
        var others = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
        foreach (var address in others)
        {
            using var socket = new TcpClient();
            var error = await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync(address, dashboard.Url.Port));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }
    }

    private static async Task<(int Status, string Body)> RawGetAsync(Uri server, string target)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.Host, server.Port);
        await using var stream = socket.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        return (status, response);
    }
}
