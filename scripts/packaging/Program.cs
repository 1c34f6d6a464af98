using Trackelio.Packaging;

// scripts/package.sh runs this:
//   inputs-hash ROOT     prints the hash of everything the package is made of
//   zip DIR FILE         checks DIR is an isolated-worker app the host can start, zips it into FILE keeping Unix modes
switch (args)
{
    case ["inputs-hash", var root]:
        Console.WriteLine(PackageInputs.Hash(root));
        return 0;
    case ["zip", var directory, var file]:
        FunctionZip.Create(directory, file);
        Console.WriteLine($"Wrote {file} ({new FileInfo(file).Length / 1024 / 1024} MiB)");
        return 0;
    default:
        Console.Error.WriteLine("usage: Trackelio.Packaging inputs-hash ROOT | zip DIR FILE");
        return 2;
}
