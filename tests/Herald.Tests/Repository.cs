namespace Herald.Tests;

/// <summary>The Herald repository these tests run from.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
        throw new InvalidOperationException("the tests run inside the Herald repository (Orleans.sln is not above the test binaries)");
    }
}
