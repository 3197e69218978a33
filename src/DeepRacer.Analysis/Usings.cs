global using System.Buffers;
global using System.Globalization;
global using System.Runtime.CompilerServices;
global using System.Runtime.InteropServices;
global using DeepRacer.Analysis.Common;
